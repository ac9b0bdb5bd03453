/// The quota's rule (docs/decisions/0022): a create is stored only while every bound holds with
/// it added — secrets, their bytes, receipts, and the storage budget in byte-minutes
/// (`maxStoredBytes` × `storageBudgetHours`) — and a create that is neither short-lived nor
/// small may use only what is left of each bound after ``VaultConfiguration/quotaReservePercent``.
/// So a flood of large long-lived secrets fills its share and no more: short small ones
/// (`reserveMaxTTL`, `reserveMaxSecretBytes`) still fit, and the flood's hold on the budget
/// shrinks every minute instead of lasting its whole TTL.
struct StorageBudget: Sendable {
    let maxSecrets: Int
    let maxStoredBytes: Int
    let maxReceipts: Int
    /// The storage budget, in byte-minutes.
    let byteMinutes: Int
    let reservePercent: Int
    let reserveMaxTTL: Int
    let reserveMaxSecretBytes: Int

    init(_ configuration: VaultConfiguration) {
        maxSecrets = configuration.maxSecrets
        maxStoredBytes = configuration.maxStoredBytes
        maxReceipts = configuration.receiptLimit
        byteMinutes = configuration.maxStoredBytes * configuration.storageBudgetHours * 60
        reservePercent = configuration.quotaReservePercent
        reserveMaxTTL = configuration.reserveMaxTTL
        reserveMaxSecretBytes = configuration.reserveMaxSecretBytes
    }

    /// Whether a secret of `secret.bytes` stored bytes, created with `ttl`, and its receipt
    /// expiring at `receiptExpiresMinute` fit beside what `ledger` holds.
    func admits(_ secret: StorageCharge, ttl: Int, receiptExpiresMinute: Int64, beside ledger: StorageLedger) -> Bool {
        let reserved = ttl <= reserveMaxTTL && secret.bytes <= reserveMaxSecretBytes
        func bound(_ limit: Int) -> Int { reserved ? limit : limit - reserve(of: limit) }
        let committed = ledger.committed(adding: secret.bytes, until: secret.expiresMinute)
            &+ StorageLedger.receiptBytes &* Int(max(receiptExpiresMinute - ledger.minute, 0))
        return ledger.secrets + 1 <= bound(maxSecrets)
            && ledger.secretBytes + secret.bytes <= bound(maxStoredBytes)
            && ledger.receipts + 1 <= bound(maxReceipts)
            && committed <= bound(byteMinutes)
    }

    /// `reservePercent` of `limit`, rounded down, without the product overflowing.
    private func reserve(of limit: Int) -> Int {
        limit / 100 * reservePercent + limit % 100 * reservePercent / 100
    }

    func usage(_ ledger: StorageLedger) -> StorageUsage {
        StorageUsage(
            secrets: ledger.secrets, secretBytes: ledger.secretBytes, receipts: ledger.receipts,
            budgetUsed: ledger.committed, budget: byteMinutes)
    }
}

/// What the quota holds right now, in aggregate: nothing here names a row or a time.
public struct StorageUsage: Sendable, Equatable {
    /// Stored secrets and their stored (sealed) bytes, expired ones included until the sweep.
    public let secrets: Int
    public let secretBytes: Int
    public let receipts: Int
    /// Byte-minutes still to run for the live secrets and receipts, and the budget they count against.
    public let budgetUsed: Int
    public let budget: Int

    /// The budget in use, in per cent of it.
    public var budgetUsedPercent: Double {
        budget > 0 ? Double(budgetUsed) * 100 / Double(budget) : 0
    }
}
