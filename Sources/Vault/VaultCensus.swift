/// What a vault holds, in aggregate counts only, for the operator's `ashlink stats` and
/// `ashlink purge`: no row, no id, no time.
public struct VaultCensus: Sendable, Equatable {
    public let storage: StorageUsage
    /// Finished tips and their bytes.
    public let tips: Int
    public let tipBytes: Int
    /// Unread replies and their bytes.
    public let replies: Int
    public let replyBytes: Int

    /// Reads the vault in `configuration.directory` from a connection of its own that never
    /// writes: while a server runs, it is one more WAL reader beside it. Refuses a database
    /// this release cannot read without migrating it, since a reader must not migrate.
    public static func read(_ configuration: VaultConfiguration, clock: VaultClock = Vault.systemClock) throws -> VaultCensus {
        do {
            let connection = try SQLiteConnection(path: configuration.databasePath, readOnly: true)
            let version = try Schema.storedVersion(connection)
            guard version == Schema.version else {
                throw VaultError.storage(
                    "the vault's schema is version \(version), this release reads version \(Schema.version): "
                        + "let `ashlink serve` of this release open it first")
            }
            // One read transaction: every count from the same snapshot.
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            let ledger = try Vault.ledger(in: connection, at: Vault.minute(clock.now()))
            let tips = try TipTable.totals(in: connection), replies = try ReplyTable.totals(in: connection)
            return VaultCensus(
                storage: StorageBudget(configuration).usage(ledger), tips: tips.count, tipBytes: tips.bytes,
                replies: replies.count, replyBytes: replies.bytes)
        } catch let error as StorageError {
            throw VaultError.storage(error.message)
        }
    }
}

extension Vault {
    /// The same counts as ``VaultCensus/read(_:clock:)``, from this vault's running totals.
    public var census: VaultCensus {
        let totals = statistics
        return VaultCensus(
            storage: storageUsage, tips: totals.storedTips, tipBytes: totals.storedTipBytes,
            replies: totals.storedReplies, replyBytes: totals.storedReplyBytes)
    }
}
