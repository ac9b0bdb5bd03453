internal import CSodium

/// SHA-256 of public bytes, from libsodium, in the spelling a Content-Security-Policy hash source
/// takes: standard base64 with its `=` padding (CSP 3, "hash-source"). The pages name each of
/// their inline style blocks so (docs/decisions/0025-inline-styles.md); nothing secret is hashed
/// here, so the bytes need no guarded memory.
public enum ContentHash {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Sodium.ensureReady()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        Sodium.require(crypto_hash_sha256(&digest, bytes, UInt64(bytes.count)), "crypto_hash_sha256")
        return digest
    }

    public static func sha256Base64(_ text: String) -> String {
        base64(sha256(Array(text.utf8)))
    }

    /// RFC 4648 section 4, padded (libsodium's "original" variant).
    static func base64(_ bytes: [UInt8]) -> String {
        let variant = Int32(sodium_base64_VARIANT_ORIGINAL)
        var text = [CChar](repeating: 0, count: sodium_base64_encoded_len(bytes.count, variant))
        _ = sodium_bin2base64(&text, text.count, bytes, bytes.count, variant)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
