/// Every statement the vault runs on the `reply` table (see ``Schema``, v3): one row per unread
/// reply, an age file that only the conversation's reply identity opens, under the
/// ``MailboxID/storageKey`` of its mailbox.
///
/// "Live" means not yet expired: from its expiry day on a reply is never handed out, whether or
/// not the sweep has deleted it yet.
enum ReplyTable {
    /// What one take removed: the live replies, oldest first, and everything it deleted (expired
    /// rows of the mailbox included), for the quota.
    struct Taken: Sendable {
        let live: [[UInt8]]
        let count: Int
        let bytes: Int
    }

    /// Adds a reply after the mailbox's others; false, storing nothing, when the mailbox already
    /// holds `limit` rows. The count and the insert are one job, so concurrent posts to one
    /// mailbox cannot overshoot it together.
    static func insert(
        mailbox: [UInt8], data: [UInt8], expiresDay: Int64, limit: Int, in connection: SQLiteConnection
    ) throws -> Bool {
        let row = try connection.query(
            "SELECT count(*) AS count, coalesce(max(seq), 0) AS last FROM reply WHERE mailbox = ?", [.blob(mailbox)]
        ).first
        guard let count = row?.integer("count"), let last = row?.integer("last"), count < limit else { return false }
        try connection.query(
            "INSERT INTO reply (mailbox, seq, data, expires_day) VALUES (?, ?, ?, ?)",
            [.blob(mailbox), .integer(last + 1), .blob(data), .integer(expiresDay)])
        return true
    }

    /// Deletes every row of the mailbox in one statement and answers the live ones. Run as one
    /// job on the store's queue, it is what makes a take exactly-once: the first job for a
    /// mailbox gets its replies, every later one finds no row.
    static func take(mailbox: [UInt8], today: Int64, in connection: SQLiteConnection) throws -> Taken {
        let rows = try connection.query(
            "DELETE FROM reply WHERE mailbox = ? RETURNING seq, data, expires_day", [.blob(mailbox)])
        var live: [(seq: Int64, data: [UInt8])] = []
        var bytes = 0
        for row in rows {
            let data = row.blob("data") ?? []
            bytes += data.count
            if let seq = row.integer("seq"), let expires = row.integer("expires_day"), expires > today {
                live.append((seq, data))
            }
        }
        // RETURNING gives rows in no promised order.
        live.sort { $0.seq < $1.seq }
        return Taken(live: live.map(\.data), count: rows.count, bytes: bytes)
    }

    /// Deletes every expired row; answers the size of each.
    static func deleteExpired(today: Int64, in connection: SQLiteConnection) throws -> [Int] {
        try connection.query(
            "DELETE FROM reply WHERE expires_day <= ? RETURNING length(data) AS bytes", [.integer(today)]
        ).compactMap { $0.integer("bytes").map(Int.init) }
    }

    /// Deletes up to `limit` replies, read or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query(
            "DELETE FROM reply WHERE (mailbox, seq) IN (SELECT mailbox, seq FROM reply LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    /// What the replies' quota counts at open: every stored row, until a take or the sweep.
    static func totals(in connection: SQLiteConnection) throws -> (count: Int, bytes: Int) {
        let row = try connection.query(
            "SELECT count(*) AS count, coalesce(sum(length(data)), 0) AS bytes FROM reply"
        ).first
        return (Int(row?.integer("count") ?? 0), Int(row?.integer("bytes") ?? 0))
    }
}
