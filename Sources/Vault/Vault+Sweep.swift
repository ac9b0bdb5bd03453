extension Vault {
    /// Rows of `secret` and `receipt` the sweep reads per job, as a share of their keys: at a
    /// million secrets a slice is a few thousand rows, so no create or reveal waits long behind it.
    static let sweepSlices = 256

    /// Deletes expired secrets, receipts and replies, then returns freed pages to the file
    /// system; answers how many secrets it deleted. Expired rows are unreadable before this runs;
    /// sweeping only reclaims the space. Secrets and receipts go at their sweep hour, up to two
    /// hours after their exact end (``SweepHour``). Tips never expire, but the pages their deletes
    /// freed are returned here too.
    ///
    /// A row's sweep hour is always later than the hour it was written in (a create and a
    /// settled receipt both draw one after the current hour), so rows only become due when the
    /// hour turns: the first sweep of each hour reads both tables, one slice of keys per job
    /// (they have no index on `sweep_hour`, docs/decisions/0028-sweep-without-indexes.md); every
    /// sweep still truncates the WAL, so what reveals deleted leaves it within a sweep interval.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let nowMinute = Self.minute(now), nowHour = SweepHour.current(now), today = UTCDay.day(ofSecond: now)
        var deletedSecrets = 0
        if sweptHour.withLock({ $0 }) != nowHour {
            for keys in RowKey.slices(Self.sweepSlices) {
                let (secrets, receipts) = try await storeRun { connection in
                    try connection.transaction {
                        (try SecretTable.deleteDue(atHour: nowHour, keys: keys, in: connection),
                         try ReceiptTable.deleteDue(atHour: nowHour, keys: keys, in: connection))
                    }
                }
                swept(secrets: secrets, receipts: receipts)
                deletedSecrets += secrets.count
            }
            sweptHour.withLock { $0 = nowHour }
        }
        let (secrets, receipts, replySizes) = try await storeRun { [store] connection -> ([StorageCharge], [StorageCharge], [Int]) in
            let deleted = try connection.transaction {
                (try LegacySecretTable.deleteExpired(at: nowMinute, in: connection),
                 try LegacyReceiptTable.sweep(at: nowMinute, in: connection),
                 try ReplyTable.deleteExpired(today: today, in: connection))
            }
            // After the commit, so that the checkpoint can copy all of it back and truncate the WAL.
            try connection.query("PRAGMA incremental_vacuum")
            try store.checkpointAndTruncateWAL()
            return deleted
        }
        swept(secrets: secrets, receipts: receipts)
        releaseReplies(count: replySizes.count, bytes: replySizes.reduce(0, +))
        return deletedSecrets + secrets.count
    }
}
