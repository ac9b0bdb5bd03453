internal import CSodium
import Age

/// What a codename opens: the conversation's reply identity (age X25519), to which journalists
/// encrypt their replies, and the mailbox where those replies wait.
///
/// Argon2id (``Passphrase/stretch(_:salt:)``, the passphrases' cost) stretches the codename's
/// normal form with the installation's salt into a 32-byte seed; libsodium's KDF derives each key
/// from the seed under a context of its own. The two are independent: the mailbox, which the
/// server sees whenever a reply is posted or read, says nothing about the identity, and neither
/// leads back to the seed or the codename. The salt makes the same codename open different
/// conversations on different installations and rules out tables computed before one existed.
///
/// The seed lives only during the derivation, the identity's secret in a guarded allocation;
/// both are zeroed when released.
public struct ConversationKeys: Sendable {
    /// KDF contexts (8 bytes, as `crypto_kdf` takes them); subkey 1 of each.
    static let identityContext = "ashlrply"
    static let mailboxContext = "ashlmbox"

    /// What journalists encrypt a reply to; public, so it may go into the tip for them.
    public let recipient: AgeRecipient
    public let mailbox: MailboxID
    private let identitySecret: SecureBytes

    /// CPU- and memory-heavy (one Argon2id run): the vault runs it through its ``Argon2Gate``.
    init(codename: Codename, salt: [UInt8]) {
        let seed = codename.withNormalForm { Passphrase.stretch($0, salt: salt) }
        self.init(seed: seed)
    }

    init(seed: SecureBytes) {
        Sodium.ensureReady()
        precondition(seed.count == Int(crypto_kdf_KEYBYTES))
        identitySecret = Self.derive(from: seed, context: Self.identityContext)
        let mailboxKey = Self.derive(from: seed, context: Self.mailboxContext)
        mailbox = mailboxKey.withUnsafeBytes { MailboxID(bytes: Array($0)) }
        recipient = Self.identity(identitySecret) { $0.recipient }
    }

    /// Runs `body` with the reply identity, e.g. to decrypt the waiting replies; the identity's
    /// secret exists outside guarded memory only meanwhile. It is wiped when `body` returns,
    /// in every copy: an identity kept past `body` (in an ``AgeDecryptor``) decrypts nothing.
    public func withIdentity<R>(_ body: (AgeIdentity) throws -> R) rethrows -> R {
        try Self.identity(identitySecret, body)
    }

    private static func identity<R>(_ secret: SecureBytes, _ body: (AgeIdentity) throws -> R) rethrows -> R {
        let identity = secret.withUnsafeBytes { AgeIdentity(secretKey: Array($0)) }
        defer { identity.wipe() }
        return try body(identity)
    }

    private static func derive(from seed: SecureBytes, context: String) -> SecureBytes {
        let key = SecureBytes(count: 32)
        let status = context.withCString { context in
            key.withUnsafeMutableBytes { key in
                crypto_kdf_derive_from_key(
                    key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count, 1, context, seed.base)
            }
        }
        Sodium.require(status, "crypto_kdf_derive_from_key")
        return key
    }
}
