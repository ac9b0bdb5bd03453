internal import CSodium

/// The vault's one Argon2id: mixes an optional passphrase into a secret's content key, and
/// stretches a conversation's codename (``ConversationKeys``).
///
/// Argon2id (`crypto_pwhash`, libsodium's interactive limits: 64 MiB, ~60 ms here) stretches the
/// passphrase with a per-secret random salt; keyed BLAKE2b then combines the stretched passphrase
/// with the token-derived key. Opening the secret needs both the link and the passphrase, and a
/// stolen database gives an offline guesser nothing to test guesses against without the link.
enum Passphrase {
    static let saltLength = Int(crypto_pwhash_SALTBYTES)
    static let memoryLimit = Int(crypto_pwhash_MEMLIMIT_INTERACTIVE)
    static let operationsLimit = UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE)

    static func randomSalt() -> [UInt8] {
        Sodium.randomBytes(saltLength)
    }

    /// How a passphrase is compared: its UTF-8 bytes in Unicode's canonical composition (NFC),
    /// so that "é" typed as one character on one keyboard and as "e" with a combining accent on
    /// another is the same passphrase. The standard library's own normalisation; no Foundation.
    static func normalized(_ passphrase: String) -> [UInt8] {
        passphrase._nfcCodeUnits
    }

    /// Whether typing `passphrase` as it is already gave its normalised form.
    static func isNormalized(_ passphrase: String) -> Bool {
        passphrase.utf8.elementsEqual(normalized(passphrase))
    }

    /// CPU- and memory-heavy: callers run it through ``Argon2Gate``, never on an event loop.
    /// `asTyped` mixes the bytes as they came, for secrets whose passphrase was set before
    /// passphrases were normalised (docs/decisions/0002).
    static func mix(_ passphrase: String, asTyped: Bool = false, salt: [UInt8], into contentKey: SecureBytes) -> SecureBytes {
        precondition(!passphrase.isEmpty)
        var passphrase = asTyped ? Array(passphrase.utf8) : normalized(passphrase)
        defer { Sodium.wipe(&passphrase) }
        let stretched = passphrase.withUnsafeBytes { stretch($0, salt: salt) }
        let mixed = SecureBytes(count: contentKey.count)
        let mixStatus = mixed.withUnsafeMutableBytes { output in
            crypto_generichash(
                output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count,
                stretched.base, UInt64(stretched.count),
                contentKey.base, contentKey.count)
        }
        Sodium.require(mixStatus, "crypto_generichash")
        return mixed
    }

    /// Argon2id of `password` into 32 bytes, at the one cost every use shares (passphrases and
    /// codenames alike), so that the ``Argon2Gate``'s cap and the locked-memory budget
    /// (64 MiB per run) hold for all of them.
    ///
    /// CPU- and memory-heavy: callers run it through ``Argon2Gate``, never on an event loop.
    static func stretch(_ password: UnsafeRawBufferPointer, salt: [UInt8]) -> SecureBytes {
        precondition(salt.count == saltLength && !password.isEmpty)
        let stretched = SecureBytes(count: 32)
        let status = stretched.withUnsafeMutableBytes { output in
            password.withMemoryRebound(to: CChar.self) { password in
                crypto_pwhash(
                    output.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(output.count),
                    password.baseAddress!, UInt64(password.count), salt,
                    operationsLimit, memoryLimit, crypto_pwhash_ALG_ARGON2ID13)
            }
        }
        // Unlike the others, this one can fail at run time: Argon2id could not get its 64 MiB.
        Sodium.require(status, "crypto_pwhash (out of memory)")
        return stretched
    }
}
