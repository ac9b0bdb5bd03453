/// Decrypts an age file as its bytes arrive, holding at most one chunk and the piece being fed,
/// whatever the file's size.
///
/// Feed the file to `consume` in pieces of any size and write out what each call returns; call
/// `finish` at the end of the file. Plaintext is released chunk by chunk only once its chunk
/// authenticated, but a file is whole only when `finish` returns: a caller that writes to disk
/// must keep the output under a temporary name until then.
public struct AgeDecryptor: Sendable {
    /// Larger headers are refused rather than buffered without bound.
    public static let maximumHeaderBytes = 1 << 20

    private enum Stage: Sendable {
        case header
        case nonce(fileKey: [UInt8])
        case payload(PayloadStream)
    }

    private let identities: [AgeIdentity]
    private var stage = Stage.header
    private var buffer: [UInt8] = []
    private var headerSearchedUpTo = 0
    private var macLineStart: Int?
    private var finalSeen = false
    private var failure: AgeError?

    var bufferedBytes: Int { buffer.count }

    public init(identities: [AgeIdentity]) {
        self.identities = identities
    }

    public mutating func consume<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(AgeError) -> [UInt8] {
        if let failure { throw failure }
        buffer.append(contentsOf: bytes)
        var output: [UInt8] = []
        do {
            try advance(into: &output)
        } catch {
            // Plaintext that authenticated before the failure is released first, as age's
            // reference reader does; the failure comes with the next call.
            failure = error
            if output.isEmpty { throw error }
        }
        return output
    }

    private mutating func advance(into output: inout [UInt8]) throws(AgeError) {
        while true {
            switch stage {
            case .header:
                if macLineStart == nil {
                    // Three bytes back: the line feed and dashes may have arrived in the last piece.
                    macLineStart = Header.macLineStart(in: buffer, from: headerSearchedUpTo - 3)
                    headerSearchedUpTo = buffer.count
                }
                guard let start = macLineStart, let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                    guard buffer.count <= Self.maximumHeaderBytes else { throw .headerFailure("header larger than 1 MiB") }
                    return
                }
                let length = end + 1
                let header = try Header(parsing: buffer[..<length])
                stage = .nonce(fileKey: try fileKey(for: header))
                buffer.removeFirst(length)
            case .nonce(var fileKey):
                guard buffer.count >= PayloadStream.nonceBytes else { return }
                stage = .payload(PayloadStream(fileKey: fileKey, nonce: Array(buffer[..<PayloadStream.nonceBytes])))
                Primitives.wipe(&fileKey)
                buffer.removeFirst(PayloadStream.nonceBytes)
            case .payload(var stream):
                defer { stage = .payload(stream) }
                while buffer.count >= PayloadStream.sealedChunkBytes || (finalSeen && !buffer.isEmpty) {
                    guard !finalSeen else { throw .payloadFailure("data follows the final chunk") }
                    // A full chunk is the final one when it opens only with the final flag.
                    let (plaintext, final) = buffer.withUnsafeBytes { whole in
                        let chunk = UnsafeRawBufferPointer(rebasing: whole[..<PayloadStream.sealedChunkBytes])
                        if let plaintext = stream.open(chunk, final: false) { return (Optional(plaintext), false) }
                        return (stream.open(chunk, final: true), true)
                    }
                    guard let plaintext else { throw .payloadFailure("chunk \(stream.chunkIndex) does not authenticate") }
                    output += plaintext
                    finalSeen = final
                    buffer.removeFirst(PayloadStream.sealedChunkBytes)
                }
                return
            }
        }
    }

    /// The last plaintext; throws if the file ended anywhere but after a valid final chunk.
    public mutating func finish() throws(AgeError) -> [UInt8] {
        if let failure { throw failure }
        switch stage {
        case .header: throw .headerFailure(buffer.isEmpty ? "empty file" : "the file ends inside the header")
        case .nonce: throw .headerFailure("the file ends before the payload nonce")
        case .payload(var stream):
            if finalSeen { return [] }
            guard !buffer.isEmpty else {
                throw .payloadFailure(stream.chunkIndex == 0 ? "the payload has no chunk" : "the file ends before the final chunk")
            }
            let plaintext = buffer.withUnsafeBytes { stream.open($0, final: true) }
            guard let plaintext else { throw .payloadFailure("the final chunk does not authenticate: truncated or altered") }
            guard !plaintext.isEmpty || stream.chunkIndex == 1 else {
                throw .payloadFailure("an empty final chunk after other chunks")
            }
            buffer = []
            finalSeen = true
            stage = .payload(stream)
            return plaintext
        }
    }

    /// Validates every X25519 stanza, unwraps the file key with the first identity that matches,
    /// then checks the header's MAC with it.
    private func fileKey(for header: Header) throws(AgeError) -> [UInt8] {
        let candidates = try header.stanzas.filter { $0.arguments.first == X25519Stanza.type }
            .map { stanza throws(AgeError) in (stanza, try X25519Stanza.share(of: stanza)) }
        for identity in identities {
            for (stanza, share) in candidates {
                guard let fileKey = try X25519Stanza.unwrap(stanza, share: share, with: identity) else { continue }
                guard fileKey.count == 16 else { throw .headerFailure("wrapped file key is not 16 bytes") }
                guard Primitives.constantTimeEqual(Header.macOf(header.authenticatedBytes, fileKey: fileKey), header.mac) else {
                    throw .hmacFailure
                }
                return fileKey
            }
        }
        throw .noMatch
    }
}
