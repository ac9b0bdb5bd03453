extension Vault {
    /// Deletes expired secrets and receipts, then returns freed pages to the file system.
    /// Expired rows are unreadable before this runs; sweeping only reclaims the space. Tips never
    /// expire, but the pages their deletes freed are returned here too.
    @discardableResult
    public func sweep() async throws -> Int {
        let nowMinute = Self.minute(clock.now())
        let sizes = try await storeRun { [store] connection -> [Int] in
            let sizes = try connection.transaction {
                let sizes = try SecretTable.deleteExpired(at: nowMinute, in: connection)
                try ReceiptTable.sweep(at: nowMinute, in: connection)
                return sizes
            }
            // After the commit, so that the checkpoint can copy all of it back and truncate the WAL.
            try connection.query("PRAGMA incremental_vacuum")
            try store.checkpointAndTruncateWAL()
            return sizes
        }
        counters.withLock { totals in
            totals.stored -= sizes.count
            totals.storedBytes -= sizes.reduce(0, +)
            totals.expired += sizes.count
        }
        return sizes.count
    }
}
