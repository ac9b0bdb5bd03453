#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Secrets at rest: encrypted with keys that only the links carry, revealed at most once; the
/// tip inbox: age files, opaque here, kept until a journalist acknowledges them; and the
/// conversations' replies, age files too, each read at most once.
///
/// The vault knows nothing of HTTP. Every method is safe to call concurrently; database work
/// runs on the store's serial queue and passphrase work behind the ``Argon2Gate``.
///
/// Each operation lives in a file of its own (Vault+Create, Vault+Reveal, Vault+Receipts,
/// Vault+Sweep, for the tip inbox Vault+Tips and Vault+TipUpload, for conversations
/// Vault+Conversations and Vault+Replies, the quota in Vault+Quota, the operator's Vault+Purge);
/// this file holds what they share: the store, the totals, and how storage failures become
/// ``VaultError``s.
public final class Vault: Sendable {
    public let configuration: VaultConfiguration
    public let clock: VaultClock
    let store: SecretStore
    let argon2: Argon2Gate
    /// This installation's salt for codenames (``InstallationTable/codenameSalt(in:)``).
    let codenameSalt: [UInt8]
    /// The counts for log lines, and the inbox's and replies' quota totals, recounted at open.
    let counters: Mutex<VaultStatistics>
    /// The secrets' and receipts' quota totals (``StorageLedger``), rebuilt from the rows at open.
    let ledger: Mutex<StorageLedger>
    /// The hour whose due secrets and receipts the sweep last deleted (``sweep()``).
    let sweptHour = Mutex<Int64?>(nil)
    let budget: StorageBudget

    public static let systemClock = VaultClock { Int64(time(nil)) }

    public init(configuration: VaultConfiguration, clock: VaultClock = Vault.systemClock) throws {
        Sodium.ensureReady()
        self.configuration = configuration
        self.clock = clock
        let store = try SecretStore(configuration: configuration)
        self.store = store
        self.argon2 = Argon2Gate(
            limit: configuration.argon2Concurrency, maxWaiting: configuration.argon2MaxWaiting,
            maxWait: configuration.argon2MaxWait, maxPerParty: configuration.argon2MaxRunsPerParty)
        typealias Totals = (count: Int, bytes: Int)
        let opened: (salt: [UInt8], storage: StorageLedger, tips: Totals, replies: Totals)
        let nowMinute = Self.minute(clock.now())
        do {
            opened = try store.runNow { connection in
                // No upload is in progress before the vault exists: unfinished tips were cut off
                // by a crash, and their tipsters never got the "received" page.
                while try connection.transaction({ try TipTable.deleteOrphanChunks(in: connection) }) > 0 {}
                try connection.transaction { try TipTable.deleteAllUnfinished(in: connection) }
                return (
                    try InstallationTable.codenameSalt(in: connection), try Self.ledger(in: connection, at: nowMinute),
                    try TipTable.totals(in: connection), try ReplyTable.totals(in: connection))
            }
        } catch {
            throw Self.vaultError(error)
        }
        self.codenameSalt = opened.salt
        let (tips, replies) = (opened.tips, opened.replies)
        self.counters = Mutex(VaultStatistics(
            storedTips: tips.count, storedTipBytes: tips.bytes, storedReplies: replies.count, storedReplyBytes: replies.bytes))
        self.ledger = Mutex(opened.storage)
        self.budget = StorageBudget(configuration)
    }

    public var statistics: VaultStatistics {
        var statistics = counters.withLock { $0 }
        (statistics.stored, statistics.storedBytes) = ledger.withLock { ($0.secrets, $0.secretBytes) }
        return statistics
    }

    /// Confirms the database is intact (`PRAGMA integrity_check`); used by health checks and tests.
    public func integrityCheck() async throws -> Bool {
        let rows = try await storeRun { try $0.query("PRAGMA integrity_check") }
        return rows.count == 1 && rows[0].first == .text("ok")
    }

    // MARK: Store access

    /// A read (or maintenance) job on the store, its errors as ``VaultError``.
    func storeRun<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await Self.mappingErrors { try await store.run(body) }
    }

    /// A group-committed write on the store, its errors as ``VaultError``: answers once the
    /// write is on disk, or, when `durable` is false, once it is written, to be synced by the
    /// next durable write (see ``SecretStore``).
    func storeWrite<T: Sendable>(
        durable: Bool = true, _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        try await Self.mappingErrors { try await store.write(durable: durable, body) }
    }

    private static func mappingErrors<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            throw vaultError(error)
        }
    }

    private static func vaultError(_ error: any Error) -> VaultError {
        switch error {
        case let error as VaultError: error
        case let error as StorageError where error.isFull: .diskFull
        case let error as StorageError: .storage(error.message)
        default: .storage("\(error)")
        }
    }

    // MARK: Time

    /// Times sealed in a row are whole minutes; in the clear a row keeps only its ``SweepHour``.
    static func minute(_ seconds: Int64) -> Int64 { seconds / 60 }
    /// Expiries round up, so a secret lives at least its TTL and at most one minute longer.
    static func minuteRoundedUp(_ seconds: Int64) -> Int64 { (seconds + 59) / 60 }

    // MARK: Argon2id

    /// Runs an Argon2id derivation through the gate, counting the runs it refuses.
    func stretch<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(VaultError) -> T {
        do {
            return try await argon2.run(work)
        } catch {
            counters.withLock { $0.refusedBusy += 1 }
            throw error
        }
    }
}
