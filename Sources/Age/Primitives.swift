internal import CSodium

/// The libsodium primitives age is made of, with every return code checked: HKDF-SHA-256 over
/// libsodium's HMAC-SHA-256 (libsodium 1.0.18 has no HKDF), ChaCha20-Poly1305 (IETF), X25519.
enum Primitives {
    static let keyBytes = 32
    static let tagBytes = 16

    static func ensureInitialized() {
        precondition(sodium_init() >= 0, "libsodium failed to initialize")
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return bytes
    }

    static func hmacSHA256(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        var state = crypto_auth_hmacsha256_state()
        var output = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        precondition(crypto_auth_hmacsha256_init(&state, key, key.count) == 0)
        for part in parts {
            precondition(crypto_auth_hmacsha256_update(&state, part, UInt64(part.count)) == 0)
        }
        precondition(crypto_auth_hmacsha256_final(&state, &output) == 0)
        return output
    }

    /// HKDF-SHA-256 (RFC 5869) with a 32-byte output, the only length age uses: one HMAC block.
    static func hkdf(secret: [UInt8], salt: [UInt8], info: String) -> [UInt8] {
        let pseudorandomKey = hmacSHA256(key: salt, secret)
        return hmacSHA256(key: pseudorandomKey, Array(info.utf8), [1])
    }

    static func seal(_ plaintext: UnsafeRawBufferPointer, key: [UInt8], nonce: [UInt8]) -> [UInt8] {
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var length: UInt64 = 0
        let rc = crypto_aead_chacha20poly1305_ietf_encrypt(
            &ciphertext, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
            nil, 0, nil, nonce, key)
        precondition(rc == 0 && Int(length) == ciphertext.count, "ChaCha20-Poly1305 encryption failed")
        return ciphertext
    }

    /// nil when the tag does not authenticate the ciphertext under this key and nonce.
    static func open(_ ciphertext: UnsafeRawBufferPointer, key: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        guard ciphertext.count >= tagBytes else { return nil }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count - tagBytes)
        var length: UInt64 = 0
        let rc = crypto_aead_chacha20poly1305_ietf_decrypt(
            &plaintext, &length, nil, ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
            nil, 0, nonce, key)
        guard rc == 0, Int(length) == plaintext.count else { return nil }
        return plaintext
    }

    static func x25519Base(_ secret: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var share = [UInt8](repeating: 0, count: keyBytes)
        precondition(crypto_scalarmult_curve25519_base(&share, secret) == 0, "X25519 base-point multiplication failed")
        return share
    }

    /// nil when the result is all zeros (a low-order point), which age requires to abort on.
    static func x25519(_ secret: [UInt8], _ point: [UInt8]) -> [UInt8]? {
        ensureInitialized()
        var shared = [UInt8](repeating: 0, count: keyBytes)
        guard crypto_scalarmult_curve25519(&shared, secret, point) == 0 else { return nil }
        return shared
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && sodium_memcmp(a, b, a.count) == 0
    }

    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }
}
