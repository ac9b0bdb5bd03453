/// Every statement the vault runs on the `secret` table: one row per unread secret, keyed by a
/// KDF output of the share token (see ``Schema`` for its columns).
///
/// "Live" means not yet expired: an expired row is unreadable from the minute it expires, long
/// before the sweep deletes it.
enum SecretTable {
    /// A live secret as the reveal path needs it.
    struct Stored: Sendable {
        /// The secret under its content key; empty only in a damaged row, which then opens for nobody.
        let sealed: [UInt8]
        /// The receipt's row id, sealed under the token-only key.
        let receiptReference: [UInt8]
        /// Argon2id salt; present exactly when the secret needs a passphrase.
        let salt: [UInt8]?

        init(_ row: SQLRow) {
            sealed = row.blob("sealed") ?? []
            receiptReference = row.blob("receipt_ref") ?? []
            salt = row.blob("salt")
        }
    }

    static func insert(
        id: [UInt8], sealed: [UInt8], receiptReference: [UInt8], salt: [UInt8]?, expiresMinute: Int64,
        in connection: SQLiteConnection
    ) throws {
        try connection.query(
            "INSERT INTO secret (id, sealed, receipt_ref, salt, expires_minute) VALUES (?, ?, ?, ?, ?)",
            [.blob(id), .blob(sealed), .blob(receiptReference), salt.map { .blob($0) } ?? .null, .integer(expiresMinute)])
    }

    /// What the confirmation page may show; reads no sealed bytes.
    static func preview(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> SecretPreview? {
        let row = try connection.query(
            """
            SELECT salt IS NOT NULL AS passphrase_required, expires_minute
            FROM secret WHERE id = ? AND expires_minute > ?
            """, [.blob(id), .integer(minute)]
        ).first
        guard let row, let passphraseRequired = row.integer("passphrase_required"),
              let expires = row.integer("expires_minute") else { return nil }
        return SecretPreview(passphraseRequired: passphraseRequired != 0, expiresMinute: expires)
    }

    static func live(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> Stored? {
        try connection.query(
            "SELECT sealed, receipt_ref, salt FROM secret WHERE id = ? AND expires_minute > ?",
            [.blob(id), .integer(minute)]
        ).first.map(Stored.init)
    }

    /// Deletes the row whatever its expiry; answers what it charged the quota, nil when there was none.
    @discardableResult
    static func delete(_ id: [UInt8], in connection: SQLiteConnection) throws -> StorageCharge? {
        try connection.query("DELETE FROM secret WHERE id = ? RETURNING \(charge)", [.blob(id)]).first.flatMap(StorageCharge.init)
    }

    /// What a deleted row charged the quota: its stored bytes until its expiry.
    private static let charge = "length(sealed) AS bytes, expires_minute"

    /// Deletes the row only while it is live. The job for which this is true is the one reveal
    /// that wins: every other job, before or after it on the store's queue, finds no row.
    /// Answers what the row charged the quota; nil for every other job.
    static func deleteIfLive(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> StorageCharge? {
        try connection.query(
            "DELETE FROM secret WHERE id = ? AND expires_minute > ? RETURNING \(charge)", [.blob(id), .integer(minute)]
        ).first.flatMap(StorageCharge.init)
    }

    /// Takes one of a guarded secret's passphrase attempts before its Argon2 run, so that guesses
    /// in flight together never get more than `limit` between them (`failed_attempts` counts the
    /// attempts taken, whether or not their runs have ended). Answers the attempt's number; nil
    /// when the row is gone or every attempt is taken.
    static func reserveAttempt(_ id: [UInt8], limit: Int64, in connection: SQLiteConnection) throws -> Int64? {
        try connection.query(
            "UPDATE secret SET failed_attempts = failed_attempts + 1 WHERE id = ? AND failed_attempts < ? RETURNING failed_attempts",
            [.blob(id), .integer(limit)]
        ).first?.integer("failed_attempts")
    }

    /// Gives back an attempt whose passphrase was never checked (its run was refused).
    static func refundAttempt(_ id: [UInt8], in connection: SQLiteConnection) throws {
        try connection.query(
            "UPDATE secret SET failed_attempts = failed_attempts - 1 WHERE id = ? AND failed_attempts > 0", [.blob(id)])
    }

    /// Deletes every expired row; answers what each charged the quota.
    static func deleteExpired(at minute: Int64, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query("DELETE FROM secret WHERE expires_minute <= ? RETURNING \(charge)", [.integer(minute)])
            .compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` rows, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM secret WHERE id IN (SELECT id FROM secret LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    /// What the quota counts, summed per expiry minute: every stored row, expired or not, until
    /// the sweep removes it.
    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "SELECT expires_minute, count(*) AS row_count, sum(length(sealed)) AS bytes FROM secret GROUP BY expires_minute"
        ).compactMap(StorageCharge.init)
    }
}
