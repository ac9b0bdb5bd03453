extension Vault {
    /// Deletes expired secrets, receipts and replies, then returns freed pages to the file
    /// system; answers how many secrets it deleted. Expired rows are unreadable before this runs;
    /// sweeping only reclaims the space. Secrets and receipts go at their sweep hour, up to two
    /// hours after their exact end (``SweepHour``). Tips never expire, but the pages their deletes freed are
    /// returned here too.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let nowMinute = Self.minute(now), nowHour = SweepHour.current(now), today = UTCDay.day(ofSecond: now)
        let (secrets, receipts, replySizes) = try await storeRun { [store] connection -> ([StorageCharge], [StorageCharge], [Int]) in
            let deleted = try connection.transaction {
                (try SecretTable.deleteDue(atHour: nowHour, in: connection)
                    + LegacySecretTable.deleteExpired(at: nowMinute, in: connection),
                 try ReceiptTable.deleteDue(atHour: nowHour, in: connection)
                    + LegacyReceiptTable.sweep(at: nowMinute, in: connection),
                 try ReplyTable.deleteExpired(today: today, in: connection))
            }
            // After the commit, so that the checkpoint can copy all of it back and truncate the WAL.
            try connection.query("PRAGMA incremental_vacuum")
            try store.checkpointAndTruncateWAL()
            return deleted
        }
        swept(secrets: secrets, receipts: receipts)
        releaseReplies(count: replySizes.count, bytes: replySizes.reduce(0, +))
        return secrets.count
    }
}
