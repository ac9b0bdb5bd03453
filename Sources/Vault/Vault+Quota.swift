extension Vault {
    /// What the secrets' and receipts' quota holds now.
    public var storageUsage: StorageUsage {
        let now = Self.minute(clock.now())
        return ledger.withLock { ledger in
            ledger.advance(to: now)
            return budget.usage(ledger)
        }
    }

    /// The ledger of the rows stored now, summed per sweep hour (v4's rows: per expiry minute)
    /// by the tables.
    static func ledger(in connection: SQLiteConnection, at minute: Int64) throws -> StorageLedger {
        StorageLedger(
            secrets: try SecretTable.chargesByExpiry(in: connection) + LegacySecretTable.chargesByExpiry(in: connection),
            receipts: try ReceiptTable.chargesByExpiry(in: connection) + LegacyReceiptTable.chargesByExpiry(in: connection),
            at: minute)
    }

    /// Takes room for a secret and its receipt, or counts a refusal when ``StorageBudget`` has
    /// none. Reserving before the insert means concurrent creates cannot overshoot together.
    func reserveRoom(for secret: StorageCharge, ttl: Int, receiptExpiresMinute: Int64) -> Bool {
        let now = Self.minute(clock.now())
        let admitted = ledger.withLock { ledger in
            ledger.advance(to: now)
            guard budget.admits(secret, ttl: ttl, receiptExpiresMinute: receiptExpiresMinute, beside: ledger) else {
                return false
            }
            ledger.add(secret: secret)
            ledger.add(receipt: StorageCharge(bytes: 0, expiresMinute: receiptExpiresMinute))
            return true
        }
        if !admitted { counters.withLock { $0.refusedFull += 1 } }
        return admitted
    }

    /// Gives back room taken by ``reserveRoom(for:ttl:receiptExpiresMinute:)`` for an insert that failed.
    func releaseRoom(for secret: StorageCharge, receiptExpiresMinute: Int64) {
        changeLedger {
            $0.remove(secret: secret)
            $0.remove(receipt: StorageCharge(bytes: 0, expiresMinute: receiptExpiresMinute))
        }
    }

    /// Gives back a deleted secret's room, moves its receipt's charge to the receipt's new sweep
    /// hour, and counts why the secret went.
    func removed(_ secret: StorageCharge, receipt move: ReceiptChargeMove?, as counter: WritableKeyPath<VaultStatistics, Int>) {
        changeLedger { ledger in
            ledger.remove(secret: secret)
            if let move {
                ledger.remove(receipt: move.from)
                ledger.add(receipt: move.to)
            }
        }
        counters.withLock { $0[keyPath: counter] += 1 }
    }

    /// Gives back the room of what a sweep deleted.
    func swept(secrets: [StorageCharge], receipts: [StorageCharge]) {
        changeLedger { ledger in
            for secret in secrets { ledger.remove(secret: secret) }
            for receipt in receipts { ledger.remove(receipt: receipt) }
        }
        counters.withLock { $0.expired += secrets.count }
    }

    private func changeLedger(_ change: (inout StorageLedger) -> Void) {
        let now = Self.minute(clock.now())
        ledger.withLock { ledger in
            ledger.advance(to: now)
            change(&ledger)
        }
    }
}
