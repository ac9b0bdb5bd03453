extension Vault {
    /// Deletes expired secrets, receipts and replies, then returns freed pages to the file
    /// system; answers how many secrets it deleted. Expired rows are unreadable before this runs;
    /// sweeping only reclaims the space. Tips never expire, but the pages their deletes freed are
    /// returned here too.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let nowMinute = Self.minute(now), today = UTCDay.day(ofSecond: now)
        let (sizes, replySizes) = try await storeRun { connection -> ([Int], [Int]) in
            let deleted = try connection.transaction {
                let sizes = try SecretTable.deleteExpired(at: nowMinute, in: connection)
                try ReceiptTable.sweep(at: nowMinute, in: connection)
                return (sizes, try ReplyTable.deleteExpired(today: today, in: connection))
            }
            // After the commit, so that the checkpoint can copy all of it back and truncate the WAL.
            try connection.query("PRAGMA incremental_vacuum")
            try Self.checkpointAndTruncateWAL(connection)
            return deleted
        }
        counters.withLock { totals in
            totals.stored -= sizes.count
            totals.storedBytes -= sizes.reduce(0, +)
            totals.expired += sizes.count
        }
        releaseReplies(count: replySizes.count, bytes: replySizes.reduce(0, +))
        return sizes.count
    }

    /// Copies every committed page from the WAL into the database file and truncates the WAL to
    /// nothing: the zeroed pages that `secure_delete` left replace the deleted bytes in the file,
    /// and no older WAL frame holding them survives. The store's one connection is the only
    /// reader, so the checkpoint always completes.
    static func checkpointAndTruncateWAL(_ connection: SQLiteConnection) throws {
        try connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
