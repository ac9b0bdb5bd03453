/// Why the vault refused a request. Everything else it answers with a value.
public enum VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    case secretTooLarge(limit: Int)
    case passphraseTooLong(limit: Int)
    case emptySecret
    /// The quota (count or bytes) is reached: try again later.
    case full
    /// The tip inbox's quota (count or bytes) is reached: the tip is not stored, nothing stored is dropped.
    case inboxFull
    /// The file system under the data directory has no room left.
    case diskFull
    /// Every Argon2id slot is taken and the queue for them is full: try again in a minute.
    case busy
    case emptyReply
    case replyTooLarge(limit: Int)
    /// The conversation's mailbox already holds `limit` unread replies.
    case mailboxFull(limit: Int)
    /// The replies' quota (bytes of all unread replies) is reached.
    case repliesFull
    /// The database could not be read or written.
    case storage(String)
    case ephemeralNeedsRAMBackedDirectory(String)

    public var description: String {
        switch self {
        case .secretTooLarge(let limit): "the secret is larger than \(limit) bytes"
        case .passphraseTooLong(let limit): "the passphrase is longer than \(limit) bytes"
        case .emptySecret: "the secret is empty"
        case .full: "the vault is full; try again later"
        case .inboxFull: "the inbox is full; try again later"
        case .diskFull: "the data directory's file system is full (in memory: the database reached its bound)"
        case .busy: "the server is busy; try again in a minute"
        case .emptyReply: "the reply is empty"
        case .replyTooLarge(let limit): "the reply is larger than \(limit) bytes"
        case .mailboxFull(let limit): "this conversation already has \(limit) unread replies; wait until the source reads them"
        case .repliesFull: "the replies waiting to be read fill their quota; try again later"
        case .storage(let message): "storage failure: \(message)"
        case .ephemeralNeedsRAMBackedDirectory(let path):
            "ephemeral storage needs a RAM-backed data directory (tmpfs), but \(path) is not on one"
        }
    }
}

/// A receipt's view of its secret, as the sender sees it on the private page.
public enum SecretState: String, Sendable {
    case new
    case received
    case burned
    case expired
}

/// What a sender can learn from a receipt token. Times are whole minutes since the Unix epoch:
/// the vault never stores anything finer.
public struct Receipt: Sendable, Equatable {
    public let state: SecretState
    /// The share link's token while the secret is still unread; nil afterwards.
    public let secretToken: LinkToken?
    /// The secret itself, while unread, for secrets created with `keepSenderCopy` (generated passwords).
    public let senderCopy: [UInt8]?
    public let passphraseRequired: Bool
    /// The TTL the secret was created with, in seconds, after clamping.
    public let ttl: Int
    public let createdMinute: Int64
    public let updatedMinute: Int64
    public let secretExpiresMinute: Int64
    public let receiptExpiresMinute: Int64
}

/// Both links a create hands back: the share link for the recipient, the receipt for the sender.
public struct CreatedSecret: Sendable {
    public let secretToken: LinkToken
    public let receiptToken: LinkToken
    public let receipt: Receipt
}

/// What the confirmation page may know before anything is revealed.
public struct SecretPreview: Sendable, Equatable {
    public let passphraseRequired: Bool
    public let expiresMinute: Int64
}

public enum RevealOutcome: Sendable, Equatable {
    /// The one and only reveal: the row is already gone from the database.
    case revealed([UInt8])
    case wrongPassphrase(attemptsLeft: Int)
    /// Unknown, already viewed, burned or expired: deliberately one answer for all four.
    case unavailable
}

/// Aggregate counts for periodic log lines; nothing here identifies a secret or a client.
public struct VaultStatistics: Sendable, Equatable {
    public var stored = 0
    public var storedBytes = 0
    public var created = 0
    public var revealed = 0
    public var burned = 0
    public var expired = 0
    public var refusedFull = 0
    /// Tips stored or being uploaded, and their bytes so far: what the inbox quota counts.
    public var storedTips = 0
    public var storedTipBytes = 0
    /// Tips refused because the inbox quota was reached.
    public var refusedInboxFull = 0
    /// Unread replies and their bytes: what the replies' quota counts.
    public var storedReplies = 0
    public var storedReplyBytes = 0
    /// Codename checks refused because the Argon2 gate and its queue were full.
    public var refusedBusy = 0
}

/// Seconds since the Unix epoch, injectable so that tests can move time.
public struct VaultClock: Sendable {
    public let now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }
}
