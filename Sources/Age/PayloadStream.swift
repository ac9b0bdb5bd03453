/// The payload's STREAM construction (C2SP age, "Payload"): 64 KiB chunks, each sealed with
/// ChaCha20-Poly1305 under the payload key and a nonce of an 11-byte big-endian chunk counter and
/// a final-chunk flag.
struct PayloadStream {
    static let chunkBytes = 64 * 1024
    static let sealedChunkBytes = chunkBytes + Primitives.tagBytes
    static let nonceBytes = 16

    private let key: [UInt8]
    private(set) var chunkIndex: UInt64 = 0

    init(fileKey: [UInt8], nonce: [UInt8]) {
        key = Primitives.hkdf(secret: fileKey, salt: nonce, info: "payload")
    }

    mutating func seal(_ chunk: UnsafeRawBufferPointer, final: Bool) -> [UInt8] {
        defer { chunkIndex += 1 }
        return Primitives.seal(chunk, key: key, nonce: nonce(final: final))
    }

    /// nil if the chunk does not authenticate as chunk `chunkIndex` with this finality.
    mutating func open(_ chunk: UnsafeRawBufferPointer, final: Bool) -> [UInt8]? {
        guard let plaintext = Primitives.open(chunk, key: key, nonce: nonce(final: final)) else { return nil }
        chunkIndex += 1
        return plaintext
    }

    private func nonce(final: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for byte in 0..<8 { nonce[10 - byte] = UInt8(truncatingIfNeeded: chunkIndex >> (8 * UInt64(byte))) }
        nonce[11] = final ? 1 : 0
        return nonce
    }
}
