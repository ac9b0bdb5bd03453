/// Every statement the vault runs on the `secret` table (schema step 5): one row per unread
/// secret, keyed by a KDF output of the share token. In the clear it holds only its id, a salt,
/// two sealed values of class lengths and its ``SweepHour``; see ``Schema`` for the columns.
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
            [.blob(id), .blob(salt), .blob(header), .blob(sealed), .integer(sweepHour)])
    }

    /// The row of `keys`, expired or not (its header says until when); nil when there is none or
    /// its header does not open (a damaged row, which then opens for nobody).
    static func find(_ keys: DerivedKeys, in connection: SQLiteConnection) throws -> Stored? {
        guard let row = try connection.query("SELECT salt, header, sealed FROM secret WHERE id = ?", [.blob(keys.rowID)]).first,
              let header = row.blob("header").flatMap({ SecretHeader(opening: $0, with: keys) })
        else { return nil }
        return Stored(sealed: row.blob("sealed") ?? [], salt: row.blob("salt") ?? [], header: header)
    }

    /// Deletes the row whatever its expiry; answers the sealed size it held, nil when there was none.
    @discardableResult
    static func delete(_ id: [UInt8], in connection: SQLiteConnection) throws -> Int? {
        try connection.query("DELETE FROM secret WHERE id = ? RETURNING length(sealed) AS bytes", [.blob(id)])
            .first?.integer("bytes").map(Int.init)
    }

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
        try connection.query("UPDATE secret SET header = ? WHERE id = ?", [.blob(header.sealed(with: keys)), .blob(keys.rowID)])
    }

    /// Deletes every row whose sweep hour has come; answers the sealed size of each.
    static func deleteDue(atHour hour: Int64, in connection: SQLiteConnection) throws -> [Int] {
        try connection.query(
            "DELETE FROM secret WHERE sweep_hour <= ? RETURNING length(sealed) AS bytes", [.integer(hour)]
        ).compactMap { $0.integer("bytes").map(Int.init) }
    }

    /// What the quota counts: every stored row, expired or not, until the sweep removes it, by
    /// the sealed (padded) bytes it stores.
    static func totals(in connection: SQLiteConnection) throws -> (count: Int, bytes: Int) {
        let row = try connection.query(
            "SELECT count(*) AS count, coalesce(sum(length(sealed)), 0) AS bytes FROM secret"
        ).first
        return (Int(row?.integer("count") ?? 0), Int(row?.integer("bytes") ?? 0))
    }
}
