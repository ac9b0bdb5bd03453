/// Whether bytes have the form of an age v1 file to X25519 recipients, judged without any
/// identity: a server that stores age files it cannot open (a journalist's reply, encrypted to a
/// tipster's key) can still refuse what no identity could ever decrypt, such as a plaintext
/// pasted by mistake or a file cut short, before it takes a place in the quota.
///
/// Checked: the header parses (the same strict parser decryption uses), at least one stanza is
/// X25519 and every X25519 stanza is well-formed, and the payload nonce and at least one sealed
/// chunk's tag follow. Not checked, since only an identity can: the header MAC and the payload.
public enum AgeFileShape {
    public static func check(_ file: [UInt8]) throws(AgeError) {
        guard let macLine = Header.macLineStart(in: file, from: 0),
              let end = file[macLine...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw .headerFailure(file.starts(with: Header.versionLine.utf8)
                ? "the header has no MAC line" : "not an age file (no age-encryption.org/v1 line)")
        }
        let header = try Header(parsing: file[..<(end + 1)])
        let x25519 = header.stanzas.filter { $0.arguments.first == X25519Stanza.type }
        guard !x25519.isEmpty else { throw .headerFailure("no X25519 recipient stanza") }
        for stanza in x25519 {
            _ = try X25519Stanza.share(of: stanza)
        }
        guard file.count - (end + 1) >= PayloadStream.nonceBytes + Primitives.tagBytes else {
            throw .payloadFailure("the file ends before its payload")
        }
    }
}
