/// Encrypts to age X25519 recipients as the plaintext arrives, in memory bounded by one chunk
/// whatever the file's size.
///
/// Write `header` first, then what each `consume` returns, then what `finish` returns: together
/// they are one age v1 file that any age implementation decrypts with one of the identities.
public struct AgeEncryptor: Sendable {
    /// The header and the payload nonce: the first bytes of the file.
    public let header: [UInt8]
    private var stream: PayloadStream
    private var pending: [UInt8] = []

    var pendingBytes: Int { pending.count }

    public init(recipients: [AgeRecipient]) throws(AgeError) {
        guard !recipients.isEmpty else { throw .invalidKey("no recipient to encrypt to") }
        var fileKey = Primitives.randomBytes(16)
        defer { Primitives.wipe(&fileKey) }
        let stanzas = try recipients.map { recipient throws(AgeError) in try X25519Stanza.wrap(fileKey, to: recipient) }
        let nonce = Primitives.randomBytes(PayloadStream.nonceBytes)
        header = Header.encode(stanzas, fileKey: fileKey) + nonce
        stream = PayloadStream(fileKey: fileKey, nonce: nonce)
    }

    public mutating func consume<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        pending.append(contentsOf: bytes)
        var output: [UInt8] = []
        // The last full chunk waits: only `finish` knows whether it is the final one.
        while pending.count > PayloadStream.chunkBytes {
            output += pending.withUnsafeBytes { whole in
                stream.seal(UnsafeRawBufferPointer(rebasing: whole[..<PayloadStream.chunkBytes]), final: false)
            }
            pending.removeFirst(PayloadStream.chunkBytes)
        }
        return output
    }

    public mutating func finish() -> [UInt8] {
        defer { Primitives.wipe(&pending); pending = [] }
        return pending.withUnsafeBytes { stream.seal($0, final: true) }
    }
}
