/// A live secret as the reveal and the burn handle it, from either table: the sealed rows of
/// step 5 (``SecretTable``) or a v4 row not yet read or expired (``LegacySecretTable``). Each
/// operation goes to the table the row came from.
struct LiveSecret: Sendable {
    private enum Row: Sendable {
        case sealed(SecretTable.Stored)
        case v4(LegacySecretTable.Stored)
    }

    private let row: Row

    /// The row whose id `keys` derive, if it is there and not yet expired at `minute`.
    static func find(_ keys: DerivedKeys, at minute: Int64, in connection: SQLiteConnection) throws -> LiveSecret? {
        if let stored = try SecretTable.find(keys, in: connection) {
            return stored.header.expiresMinute > minute ? LiveSecret(row: .sealed(stored)) : nil
        }
        return try LegacySecretTable.live(keys.rowID, at: minute, in: connection).map { LiveSecret(row: .v4($0)) }
    }

    /// The Argon2id salt when the secret needs a passphrase; nil when it does not.
    var passphraseSalt: [UInt8]? {
        switch row {
        case .sealed(let stored): stored.header.passphraseRequired ? stored.salt : nil
        case .v4(let stored): stored.salt
        }
    }

    var expiresMinute: Int64 {
        switch row {
        case .sealed(let stored): stored.header.expiresMinute
        case .v4(let stored): stored.expiresMinute
        }
    }

    /// The secret, under its (possibly passphrase-mixed) content key; nil for a wrong key.
    func open(with key: SecureBytes, boundTo rowID: [UInt8]) -> [UInt8]? {
        switch row {
        case .sealed(let stored): Seal.openPadded(stored.sealed, key: key, boundTo: rowID)
        case .v4(let stored): Seal.open(stored.sealed, key: key, boundTo: rowID)
        }
    }

    /// Deletes the row whatever its expiry; answers what it charged the quota, nil when it was gone.
    func delete(_ rowID: [UInt8], in connection: SQLiteConnection) throws -> StorageCharge? {
        switch row {
        case .sealed: return try SecretTable.delete(rowID, in: connection)
        case .v4: return try LegacySecretTable.delete(rowID, in: connection)
        }
    }

    func reserveAttempt(_ keys: DerivedKeys, limit: Int64, in connection: SQLiteConnection) throws -> Int64? {
        switch row {
        case .sealed: return try SecretTable.reserveAttempt(keys, limit: limit, in: connection)
        case .v4: return try LegacySecretTable.reserveAttempt(keys.rowID, limit: limit, in: connection)
        }
    }

    func refundAttempt(_ keys: DerivedKeys, in connection: SQLiteConnection) throws {
        switch row {
        case .sealed: try SecretTable.refundAttempt(keys, in: connection)
        case .v4: try LegacySecretTable.refundAttempt(keys.rowID, in: connection)
        }
    }

    /// Records in the secret's receipt that it was read or burned at `second`. Only the share
    /// token's key opens the reference to the receipt, so the database never links the two rows.
    /// Answers how the receipt's charge on the quota moved (a v4 receipt's does not).
    func settleReceipt(
        keys: DerivedKeys, as state: ReceiptTable.StoredState, at second: Int64, in connection: SQLiteConnection
    ) throws -> ReceiptChargeMove? {
        switch row {
        case .sealed(let stored):
            let outcomeKey = SecureBytes(copying: stored.header.receiptOutcomeKey)
            return try ReceiptTable.settle(stored.header.receiptID, outcomeKey: outcomeKey, as: state, at: second, in: connection)
        case .v4(let stored):
            guard var receiptID = Seal.open(stored.receiptReference, key: keys.contentKey, boundTo: keys.rowID) else { return nil }
            defer { Sodium.wipe(&receiptID) }
            try LegacyReceiptTable.settle(receiptID, as: state, at: second / 60, in: connection)
            return nil
        }
    }
}
