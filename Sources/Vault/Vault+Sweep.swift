extension Vault {
    /// Deletes expired secrets and receipts, then returns freed pages to the file system.
    /// Expired rows are unreadable before this runs; sweeping only reclaims the space. Tips never
    /// expire, but the pages their deletes freed are returned here too.
    @discardableResult
    public func sweep() async throws -> Int {
        let nowMinute = Self.minute(clock.now())
        let sizes = try await storeRun { connection -> [Int] in
            let sizes = try connection.transaction {
                let sizes = try SecretTable.deleteExpired(at: nowMinute, in: connection)
                try ReceiptTable.sweep(at: nowMinute, in: connection)
                return sizes
            }
            // After the commit, so that the checkpoint can copy all of it back and truncate the WAL.
            try connection.query("PRAGMA incremental_vacuum")
            try Self.checkpointAndTruncateWAL(connection)
            return sizes
        }
        counters.withLock { totals in
            totals.stored -= sizes.count
            totals.storedBytes -= sizes.reduce(0, +)
            totals.expired += sizes.count
        }
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
