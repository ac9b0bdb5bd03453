/// Every statement the vault runs on the inbox's two tables (see ``Schema``, v2 and v4): `tip`, one
/// row per tip, and `tip_chunk`, its age file in pieces of at most ``chunkBytes``, each under a
/// random rowid and found through the index on (tip, seq).
///
/// A tip whose `received_day` is NULL is an upload in progress: it is never listed or read, and
/// at open, when no upload can be in progress, it is a remnant of a crash and is deleted.
enum TipTable {
    /// The largest piece of a tip stored in one row and read in one job: what an upload buffers
    /// and what a reader holds at a time, whatever the tip's size.
    static let chunkBytes = 1024 * 1024

    /// Starts an upload: its row exists before any chunk, so that abandoning or the clean-up at
    /// open finds whatever was written.
    static func insertUnfinished(_ id: TipID, in connection: SQLiteConnection) throws {
        try connection.query("INSERT INTO tip (id, bytes, received_day) VALUES (?, 0, NULL)", [.blob(id.bytes)])
    }

    /// Stores one chunk under a fresh random id; one already taken (of 2^63) is drawn again.
    static func insertChunk(_ id: TipID, sequence: Int64, data: [UInt8], in connection: SQLiteConnection) throws {
        repeat {
            try connection.query(
                "INSERT INTO tip_chunk (id, tip, seq, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [.integer(randomRowID()), .blob(id.bytes), .integer(sequence), .blob(data)])
        } while connection.changes == 0
    }

    private static func randomRowID() -> Int64 {
        Sodium.randomBytes(8).reduce(0) { $0 << 8 | Int64($1) } & Int64.max
    }

    /// Makes an upload a stored tip; answers false when its row is gone (abandoned meanwhile).
    static func finish(_ id: TipID, bytes: Int, day: Int64, in connection: SQLiteConnection) throws -> Bool {
        try connection.query(
            "UPDATE tip SET bytes = ?, received_day = ? WHERE id = ? AND received_day IS NULL",
            [.integer(Int64(bytes)), .integer(day), .blob(id.bytes)])
        return connection.changes == 1
    }

    /// Chunks one delete statement removes at most. With `secure_delete`, every freed page is
    /// overwritten, and inside a job's savepoint SQLite first copies each one into its statement
    /// journal, which `temp_store = MEMORY` keeps in (locked) memory: deleting a whole tip in one
    /// statement would hold all of it there. In batches the copy stays a few chunks large.
    static let chunksPerDelete = 4

    /// Removes up to ``chunksPerDelete`` of a tip's chunks; answers how many went.
    static func deleteChunks(of id: TipID, in connection: SQLiteConnection) throws -> Int {
        try connection.query(
            """
            DELETE FROM tip_chunk WHERE tip = ?1 AND seq IN
                (SELECT seq FROM tip_chunk WHERE tip = ?1 ORDER BY seq LIMIT ?2)
            """, [.blob(id.bytes), .integer(Int64(chunksPerDelete))])
        return connection.changes
    }

    /// Removes up to ``chunksPerDelete`` chunks that belong to no finished tip (an upload cut off
    /// by a crash, or a deleted tip whose chunks were not all gone yet); answers how many went.
    static func deleteOrphanChunks(in connection: SQLiteConnection) throws -> Int {
        try connection.query(
            """
            DELETE FROM tip_chunk WHERE id IN
                (SELECT id FROM tip_chunk
                 WHERE tip NOT IN (SELECT id FROM tip WHERE received_day IS NOT NULL) LIMIT ?1)
            """, [.integer(Int64(chunksPerDelete))])
        return connection.changes
    }

    /// Schema step 4's move: v2's chunks into the rowid table, ``chunksPerDelete`` per
    /// transaction (the memory reason is the same as for deletes). Each batch moves its rows in
    /// one transaction, so a crash leaves every chunk in exactly one of the two tables, and the
    /// next open goes on. The moved rows get counting rowids in (tip, seq) order: the tip ids
    /// are random, so that order says nothing of arrival.
    static func moveV2Chunks(in connection: SQLiteConnection) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS tip_chunk_v4 (
                id INTEGER PRIMARY KEY NOT NULL,
                tip BLOB NOT NULL,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL
            )
            """)
        try connection.execute("CREATE UNIQUE INDEX IF NOT EXISTS tip_chunk_order ON tip_chunk_v4 (tip, seq)")
        let batch = "SELECT tip, seq FROM tip_chunk ORDER BY tip, seq LIMIT \(chunksPerDelete)"
        while try connection.transaction({
            try connection.query("INSERT INTO tip_chunk_v4 (tip, seq, data) SELECT tip, seq, data FROM tip_chunk WHERE (tip, seq) IN (\(batch))")
            let moved = connection.changes
            try connection.query("DELETE FROM tip_chunk WHERE (tip, seq) IN (\(batch))")
            return moved
        }) > 0 {}
    }

    /// Removes one upload in progress, once its chunks are gone (``deleteChunks(of:in:)``); a
    /// finished tip is left alone.
    static func deleteUnfinished(_ id: TipID, in connection: SQLiteConnection) throws {
        try connection.query("DELETE FROM tip WHERE id = ? AND received_day IS NULL", [.blob(id.bytes)])
    }

    /// Removes every upload in progress, once the orphan chunks are gone. Run at open only, when
    /// no upload can be in progress: what it finds was cut off by a crash.
    static func deleteAllUnfinished(in connection: SQLiteConnection) throws {
        try connection.query("DELETE FROM tip WHERE received_day IS NULL")
    }

    /// Deletes every tip's row, for a purge: their chunks are orphans then, for
    /// ``deleteOrphanChunks(in:)``.
    static func deleteAll(in connection: SQLiteConnection) throws {
        try connection.query("DELETE FROM tip")
    }

    /// Deletes a finished tip's row, which makes its chunks orphans for ``deleteChunks(of:in:)``
    /// to remove; answers its size, nil when there was none. Of concurrent callers, one wins.
    static func delete(_ id: TipID, in connection: SQLiteConnection) throws -> Int? {
        try connection.query(
            "DELETE FROM tip WHERE id = ? AND received_day IS NOT NULL RETURNING bytes", [.blob(id.bytes)]
        ).first?.integer("bytes").map { Int($0) }
    }

    /// Finished tips, oldest day first; within a day by id, which is random, so the order within
    /// a day says nothing about arrival.
    static func finished(in connection: SQLiteConnection) throws -> [StoredTip] {
        try connection.query(
            "SELECT id, bytes, received_day FROM tip WHERE received_day IS NOT NULL ORDER BY received_day, id"
        ).compactMap(storedTip)
    }

    static func finished(_ id: TipID, in connection: SQLiteConnection) throws -> StoredTip? {
        try connection.query(
            "SELECT id, bytes, received_day FROM tip WHERE id = ? AND received_day IS NOT NULL", [.blob(id.bytes)]
        ).first.flatMap(storedTip)
    }

    /// One stored chunk; nil past the last one, or when the tip is gone.
    static func chunk(_ id: TipID, sequence: Int64, in connection: SQLiteConnection) throws -> [UInt8]? {
        try connection.query(
            "SELECT data FROM tip_chunk WHERE tip = ? AND seq = ?", [.blob(id.bytes), .integer(sequence)]
        ).first?.blob("data")
    }

    /// What the inbox quota counts at open, after the clean-up: the finished tips.
    static func totals(in connection: SQLiteConnection) throws -> (count: Int, bytes: Int) {
        let row = try connection.query(
            "SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM tip WHERE received_day IS NOT NULL"
        ).first
        return (Int(row?.integer("count") ?? 0), Int(row?.integer("bytes") ?? 0))
    }

    /// A listed row; a damaged one (an id of the wrong length) is left out rather than misnamed.
    private static func storedTip(_ row: SQLRow) -> StoredTip? {
        guard let id = row.blob("id"), id.count == TipID.byteCount,
              let bytes = row.integer("bytes"), let day = row.integer("received_day") else { return nil }
        return StoredTip(id: TipID(bytes: id), bytes: Int(bytes), receivedDay: day)
    }
}
