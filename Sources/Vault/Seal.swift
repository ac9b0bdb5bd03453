internal import CSodium

/// XChaCha20-Poly1305 (IETF) with a random 192-bit nonce stored in front of the ciphertext.
///
/// The row id is the associated data: a sealed value only opens in the row it was written for,
/// so rows cannot be swapped or replayed into one another on disk.
enum Seal {
    static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    static let overhead = nonceLength + tagLength

    static func seal(_ plaintext: [UInt8], key: SecureBytes, boundTo rowID: [UInt8]) -> [UInt8] {
        var output = Sodium.randomBytes(nonceLength)
        output += [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var written: UInt64 = 0
        let status = output.withUnsafeMutableBufferPointer { buffer in
            let nonce = UnsafePointer(buffer.baseAddress!)
            let cipher = buffer.baseAddress! + nonceLength
            return crypto_aead_xchacha20poly1305_ietf_encrypt(
                cipher, &written, plaintext, UInt64(plaintext.count),
                rowID, UInt64(rowID.count), nil, nonce, key.base)
        }
        Sodium.require(status, "crypto_aead_xchacha20poly1305_ietf_encrypt")
        return output
    }

    /// Nil when the key is wrong or the bytes were altered: the two are indistinguishable by design.
    static func open(_ sealed: [UInt8], key: SecureBytes, boundTo rowID: [UInt8]) -> [UInt8]? {
        guard sealed.count >= overhead else { return nil }
        var plaintext = [UInt8](repeating: 0, count: sealed.count - overhead)
        var written: UInt64 = 0
        let status = sealed.withUnsafeBufferPointer { buffer in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                &plaintext, &written, nil,
                buffer.baseAddress! + nonceLength, UInt64(sealed.count - nonceLength),
                rowID, UInt64(rowID.count), buffer.baseAddress!, key.base)
        }
        guard status == 0 else {
            Sodium.wipe(&plaintext)
            return nil
        }
        return plaintext
    }
}

extension Seal {
    /// Pads `plaintext` to `length` bytes (``SealedPadding``), then seals it: the stored value is
    /// `length` + ``overhead`` bytes whatever the plaintext's own length.
    static func seal(_ plaintext: [UInt8], paddedTo length: Int, key: SecureBytes, boundTo rowID: [UInt8]) -> [UInt8] {
        var padded = SealedPadding.padded(plaintext, to: length)
        defer { Sodium.wipe(&padded) }
        return seal(padded, key: key, boundTo: rowID)
    }

    /// Opens a value sealed by ``seal(_:paddedTo:key:boundTo:)`` and removes its padding.
    static func openPadded(_ sealed: [UInt8], key: SecureBytes, boundTo rowID: [UInt8]) -> [UInt8]? {
        guard var padded = open(sealed, key: key, boundTo: rowID) else { return nil }
        defer { Sodium.wipe(&padded) }
        return SealedPadding.unpadded(padded)
    }
}
