internal import CSodium

/// Where a conversation's replies wait for its tipster: 32 bytes that ``ConversationKeys``
/// derives from the codename, and that the journalists' replies name (it travels inside the
/// encrypted tip, in the file that lets a journalist reply).
///
/// The `reply` table does not hold the id itself but ``storageKey``, a keyed BLAKE2b of it: a
/// copy of the database then names no mailbox that the journalists' API or a tip's reply file
/// would accept, and the bytes in a decrypted tip do not occur in the database as they are.
/// Its text form is the link tokens' (52 characters of unpadded lowercase base32).
public struct MailboxID: Sendable, Equatable {
    static let byteCount = 32
    private static let domain = Array("ashlink mailbox v1".utf8)

    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    /// Parses the text form; anything else is no mailbox at all.
    public init?(_ text: some StringProtocol) {
        guard let bytes = Base32.decode(text, exactly: Self.byteCount) else { return nil }
        self.bytes = bytes
    }

    /// For the reply file inside a tip and the journalists' API; never for a log.
    public var text: String { Base32.encode(bytes) }

    /// What the `reply` table is keyed by: one-way, so the stored key leads to no usable id.
    var storageKey: [UInt8] {
        Sodium.ensureReady()
        var digest = [UInt8](repeating: 0, count: 32)
        Sodium.require(
            crypto_generichash(&digest, digest.count, bytes, UInt64(bytes.count), Self.domain, Self.domain.count),
            "crypto_generichash")
        return digest
    }
}

extension MailboxID: CustomStringConvertible {
    /// Redacted, so that interpolating a mailbox into a log message cannot join it to anything.
    public var description: String { "MailboxID(redacted)" }
}
