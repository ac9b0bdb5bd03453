/// How the vault stores secrets and what it accepts. Validated by the caller's configuration layer;
/// the defaults are the production defaults.
public struct VaultConfiguration: Sendable {
    public enum Durability: String, Sendable, CaseIterable {
        /// Every acknowledged create is on disk (`synchronous=FULL` in WAL mode): survives `kill -9` and power loss.
        case durable
        /// The database lives on a RAM-backed file system and is never synced: nothing survives a reboot, by design.
        case ephemeral
        /// The database lives in the process's own (locked) memory: nothing is written to any file
        /// system, and nothing survives the process. Bounded by ``memoryFootprint``.
        case memory
    }

    /// Folder holding `vault.sqlite3` and its WAL; created by the caller with mode 0700. Not used
    /// in ``Durability/memory``.
    public var directory: String
    public var durability: Durability = .durable
    public var maxSecretBytes = 64 * 1024
    public var minimumTTL = 5 * 60
    public var maximumTTL = 30 * 24 * 3600
    public var defaultTTL = 7 * 24 * 3600
    public var maxPassphraseAttempts = 5
    public var maxPassphraseLength = 1024
    /// Concurrent Argon2id runs; each holds 64 MiB of (locked) memory while it runs.
    public var argon2Concurrency = 2
    /// Argon2id runs (passphrases, codenames) beyond this many waiting for the gate are refused
    /// at once (``VaultError/busy``): at ~60 ms a run and two at a time, the last waits ~0.25 s.
    public var argon2MaxWaiting = 8
    /// A run that waited this long without a slot is refused the same way.
    public var argon2MaxWait: Duration = .seconds(10)
    /// Runs one ``Argon2Party`` may have waiting or running at once; beyond them its next run is
    /// refused at once, however short the queue, so one party cannot fill the queue alone.
    public var argon2MaxRunsPerParty = 2
    /// Storage quota: creates beyond either bound are refused until expiry or reveals free room.
    public var maxSecrets = 100_000
    public var maxStoredBytes = 256 * 1024 * 1024
    /// Receipts outlive their secrets (twice the TTL), so they have a bound of their own; nil
    /// means twice `maxSecrets` (``receiptLimit``).
    public var maxReceipts: Int?
    /// The storage budget: `maxStoredBytes` held for this many hours, in byte-minutes. Each
    /// secret charges its stored bytes, each receipt a constant, for every minute it has left
    /// (``StorageBudget``, docs/decisions/0022).
    public var storageBudgetHours = 24
    /// Per cent of every bound (count, bytes, receipts, budget) that only short small secrets may use.
    public var quotaReservePercent = 10
    /// What "short" and "small" are for the reserve: the TTL in seconds, the stored bytes.
    public var reserveMaxTTL = 3600
    public var reserveMaxSecretBytes = 4096
    /// Inbox quota: tips stored or being uploaded, and their bytes. Tips never expire, so beyond
    /// either bound new tips are refused until journalists fetch and acknowledge some.
    public var maxTips = 1000
    public var maxStoredTipBytes = 4 * 1024 * 1024 * 1024
    /// How long a reply waits for its tipster, in seconds; it lives that long, and at most one
    /// UTC day longer (only its expiry day is stored).
    public var replyTTL = 30 * 24 * 3600
    /// One reply's age file; a journalist's text, not a tip, so far smaller.
    public var maxReplyBytes = 256 * 1024
    /// Unread replies one conversation's mailbox may hold: the journalists' API is the only
    /// writer, but a runaway script must not fill the quota through one mailbox.
    public var maxRepliesPerMailbox = 50
    /// All unread replies together: beyond it new replies are refused until some are read or expire.
    public var maxStoredReplyBytes = 256 * 1024 * 1024
    /// SQLite page cache, in KiB: bounded because it is locked memory.
    public var cacheKiB = 2048

    public init(directory: String) {
        self.directory = directory
    }

    public var databasePath: String { directory + "/vault.sqlite3" }

    public var receiptLimit: Int { maxReceipts ?? 2 * maxSecrets }

    /// Clamps a requested TTL into the configured range; no TTL means the default.
    public func clampedTTL(_ requested: Int?) -> Int {
        min(max(requested ?? defaultTTL, minimumTTL), maximumTTL)
    }
}
