/// The secrets written before schema step 5, in the table as they were written (`secret_v4`,
/// step 1's layout): their exact expiry and passphrase salt in the clear. Nothing can re-seal
/// them without their links, so they stay readable here until they are read or expire; no new
/// row is ever written here (docs/decisions/0021-unlinkable-rows-and-padding.md).
enum LegacySecretTable {
    /// A live v4 row as the reveal needs it.
    struct Stored: Sendable {
        let sealed: [UInt8]
        /// The receipt's row id, sealed under the token-only key.
        let receiptReference: [UInt8]
        /// Present exactly when the secret needs a passphrase.
        let salt: [UInt8]?
        let expiresMinute: Int64

        init(_ row: SQLRow) {
            sealed = row.blob("sealed") ?? []
            receiptReference = row.blob("receipt_ref") ?? []
            salt = row.blob("salt")
            expiresMinute = row.integer("expires_minute") ?? 0
        }
    }

    static func live(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> Stored? {
        try connection.query(
            "SELECT sealed, receipt_ref, salt, expires_minute FROM secret_v4 WHERE id = ? AND expires_minute > ?",
            [.blob(id), .integer(minute)]
        ).first.map(Stored.init)
    }

    /// Deletes the row whatever its expiry; answers what it charged the quota, nil when there was none.
    static func delete(_ id: [UInt8], in connection: SQLiteConnection) throws -> StorageCharge? {
        try connection.query("DELETE FROM secret_v4 WHERE id = ? RETURNING \(charge)", [.blob(id)]).first.flatMap(StorageCharge.init)
    }

    private static let charge = "length(sealed) AS bytes, expires_minute"

    /// As ``SecretTable/reserveAttempt(_:keys:limit:in:)``, counted in the clear column v4 kept.
    static func reserveAttempt(_ id: [UInt8], limit: Int64, in connection: SQLiteConnection) throws -> Int64? {
        try connection.query(
            "UPDATE secret_v4 SET failed_attempts = failed_attempts + 1 WHERE id = ? AND failed_attempts < ? RETURNING failed_attempts",
            [.blob(id), .integer(limit)]
        ).first?.integer("failed_attempts")
    }

    static func refundAttempt(_ id: [UInt8], in connection: SQLiteConnection) throws {
        try connection.query(
            "UPDATE secret_v4 SET failed_attempts = failed_attempts - 1 WHERE id = ? AND failed_attempts > 0", [.blob(id)])
    }

    static func deleteExpired(at minute: Int64, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query("DELETE FROM secret_v4 WHERE expires_minute <= ? RETURNING \(charge)", [.integer(minute)])
            .compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` rows, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM secret_v4 WHERE id IN (SELECT id FROM secret_v4 LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "SELECT expires_minute, count(*) AS row_count, sum(length(sealed)) AS bytes FROM secret_v4 GROUP BY expires_minute"
        ).compactMap(StorageCharge.init)
    }
}
