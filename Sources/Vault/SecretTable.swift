/// Every statement the vault runs on the `secret` table (schema step 6): one row per unread
/// secret, keyed by a KDF output of the share token (``RowKey``). In the clear it holds only its
/// key, a salt, two sealed values of class lengths and its ``SweepHour``; see ``Schema``.
///
/// Every row has a salt, random when there is no passphrase, and the passphrase flag, the exact
/// expiry and the attempts taken are in its sealed ``SecretHeader``: without the share token a
/// passphrase row looks like any other.
enum SecretTable {
    /// A row whose header opened under the share token's key.
    struct Stored: Sendable {
        /// The padded secret under its content key; opens for nobody in a damaged row.
        let sealed: [UInt8]
        let salt: [UInt8]
        let header: SecretHeader
    }

    static func insert(
        id: [UInt8], salt: [UInt8], header: [UInt8], sealed: [UInt8], sweepHour: Int64, in connection: SQLiteConnection
    ) throws {
        try connection.query(
            "INSERT INTO secret (id, salt, header, sealed, sweep_hour) VALUES (?, ?, ?, ?, ?)",
            [RowKey.value(id), .blob(salt), .blob(header), .blob(sealed), .integer(sweepHour)])
    }

    /// The row of `keys`, expired or not (its header says until when); nil when there is none or
    /// its header does not open (a damaged row, which then opens for nobody, or another token's
    /// row under the same key).
    static func find(_ keys: DerivedKeys, in connection: SQLiteConnection) throws -> Stored? {
        guard let row = try connection.query(
                  "SELECT salt, header, sealed FROM secret WHERE id = ?", [RowKey.value(keys.rowID)]).first,
              let header = row.blob("header").flatMap({ SecretHeader(opening: $0, with: keys) })
        else { return nil }
        return Stored(sealed: row.blob("sealed") ?? [], salt: row.blob("salt") ?? [], header: header)
    }

    /// Deletes the row whatever its expiry; answers what it charged the quota, nil when there was none.
    @discardableResult
    static func delete(_ id: [UInt8], in connection: SQLiteConnection) throws -> StorageCharge? {
        try connection.query("DELETE FROM secret WHERE id = ? RETURNING \(charge)", [RowKey.value(id)])
            .first.flatMap(StorageCharge.init)
    }

    /// What a deleted row charged the quota: its stored bytes until its sweep hour (it takes
    /// room on disk until the sweep deletes it).
    private static let charge = "length(sealed) AS bytes, sweep_hour * 60 AS expires_minute"

    /// Takes one of a guarded secret's passphrase attempts before its Argon2 run, so that guesses
    /// in flight together never get more than `limit` between them (the header counts the
    /// attempts taken, whether or not their runs have ended). Answers the attempt's number; nil
    /// when the row is gone or every attempt is taken. The header is read and rewritten in the
    /// caller's job, so no other attempt comes between.
    static func reserveAttempt(_ keys: DerivedKeys, limit: Int64, in connection: SQLiteConnection) throws -> Int64? {
        guard var header = try find(keys, in: connection)?.header, header.attemptsTaken < limit else { return nil }
        header.attemptsTaken += 1
        try rewrite(header, keys: keys, in: connection)
        return header.attemptsTaken
    }

    /// Gives back an attempt whose passphrase was never checked (its run was refused).
    static func refundAttempt(_ keys: DerivedKeys, in connection: SQLiteConnection) throws {
        guard var header = try find(keys, in: connection)?.header, header.attemptsTaken > 0 else { return }
        header.attemptsTaken -= 1
        try rewrite(header, keys: keys, in: connection)
    }

    private static func rewrite(_ header: SecretHeader, keys: DerivedKeys, in connection: SQLiteConnection) throws {
        try connection.query(
            "UPDATE secret SET header = ? WHERE id = ?", [.blob(header.sealed(with: keys)), RowKey.value(keys.rowID)])
    }

    /// Deletes every row whose sweep hour has come; answers what each charged the quota.
    /// Only the rows whose keys lie in `keys` are read (``RowKey/slices(_:)``).
    static func deleteDue(atHour hour: Int64, keys: ClosedRange<Int64>, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "DELETE FROM secret WHERE id BETWEEN ? AND ? AND sweep_hour <= ? RETURNING \(charge)",
            [.integer(keys.lowerBound), .integer(keys.upperBound), .integer(hour)])
            .compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` rows, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM secret WHERE id IN (SELECT id FROM secret LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    /// What the quota counts, summed per sweep hour: every stored row, expired or not, until
    /// the sweep removes it, by the sealed (padded) bytes it stores.
    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            """
            SELECT sweep_hour * 60 AS expires_minute, count(*) AS row_count, sum(length(sealed)) AS bytes
            FROM secret GROUP BY sweep_hour
            """
        ).compactMap(StorageCharge.init)
    }
}
