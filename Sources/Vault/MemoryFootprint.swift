/// How much memory a vault in ``VaultConfiguration/Durability/memory`` may take: its database
/// (SQLite's memdb, one allocation that SQLite grows up to ``databaseBytes`` and no further) and
/// the attachments staged beside it (``StagingMemory``). Derived from the quotas alone, so the
/// caller can check it against the locked-memory budget before anything is opened.
/// Derivation: docs/decisions/0023-storage-in-memory.md.
public struct MemoryFootprint: Sendable, Equatable {
    /// The most the database may grow to; beyond it a write fails as a full disk would.
    public let databaseBytes: Int
    /// The most that stagings may hold at once: the inbox's byte quota, which they share with the
    /// stored tips. Counted beside the database because memdb never gives memory back: the
    /// database may still hold the pages of tips already deleted while stagings fill the quota.
    public let stagingBytes: Int

    public var totalBytes: Int { databaseBytes + stagingBytes }

    /// SQLite grows memdb's buffer with `sqlite3_realloc64`, which refuses any size from
    /// 2^31 − 256 bytes up: the largest in-memory database there can be.
    public static let largestDatabaseBytes = 2047 * 1024 * 1024

    /// Rows with random keys fill b-tree pages about two thirds: twice the sealed bytes. A secret
    /// row of up to about 4 KB stays in its leaf page (schema step 6,
    /// docs/decisions/0026-rowid-secret-and-receipt-tables.md), two rows at least to a page even
    /// for the smallest class (1,064 sealed bytes), and twice the sealed bytes hold it; a longer
    /// one fills overflow pages whole but for at most one, which twice its 4 KiB or more holds
    /// too. Per secret then only its other fields (salt, header, key, sweep hour, its index
    /// entry, about 220 bytes) at the same fill, rounded up. Receipts outlive their secrets and
    /// have a bound of their own.
    static let bytesPerSecret = 1024
    static let bytesPerReceipt = 1024
    /// A tip's chunks fill overflow pages whole but for the last page of each 1 MiB chunk.
    static let bytesPerTip = 8 * 1024
    /// The schema, auto_vacuum's pointer-map pages and the free list.
    static let fixedBytes = 4 * 1024 * 1024

    init(configuration: VaultConfiguration) {
        let mebibyte = 1024 * 1024
        let secrets = 2 * configuration.maxStoredBytes + configuration.maxSecrets * Self.bytesPerSecret
            + configuration.receiptLimit * Self.bytesPerReceipt
        let tips = configuration.maxStoredTipBytes + configuration.maxStoredTipBytes / 256 + configuration.maxTips * Self.bytesPerTip
        let replies = 2 * configuration.maxStoredReplyBytes
        let total = secrets + tips + replies + Self.fixedBytes
        databaseBytes = (total + mebibyte - 1) / mebibyte * mebibyte
        stagingBytes = configuration.maxStoredTipBytes
    }
}

extension VaultConfiguration {
    /// What ``Durability/memory`` may take at most with these quotas.
    public var memoryFootprint: MemoryFootprint { MemoryFootprint(configuration: self) }
}
