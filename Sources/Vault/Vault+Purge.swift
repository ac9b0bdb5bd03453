extension Vault {
    /// Deletes every secret, receipt, tip and reply, for the operator's `ashlink purge --all`
    /// while no server runs. `secure_delete` zeroes the freed pages, and the checkpoint at the
    /// end copies them over the database file and truncates the WAL, as a sweep does.
    ///
    /// Rows go a batch per job, so that neither the statement journal (kept in memory) nor the
    /// WAL has to hold a whole vault at once; tips by their rows first, then their chunks as
    /// orphans, as at open.
    public func purgeEverything() async throws {
        let batch = Self.rowsPerPurgeJob
        while try await storeWrite({ try SecretTable.deleteSome(batch, in: $0) }) > 0 {}
        while try await storeWrite({ try LegacySecretTable.deleteSome(batch, in: $0) }) > 0 {}
        while try await storeWrite({ try ReceiptTable.deleteSome(batch, in: $0) }) > 0 {}
        while try await storeWrite({ try LegacyReceiptTable.deleteSome(batch, in: $0) }) > 0 {}
        while try await storeWrite({ try ReplyTable.deleteSome(batch, in: $0) }) > 0 {}
        try await storeWrite { try TipTable.deleteAll(in: $0) }
        while try await storeWrite({ try TipTable.deleteOrphanChunks(in: $0) }) > 0 {}
        let now = Self.minute(clock.now())
        let storage = try await storeRun { [store] connection in
            try connection.query("PRAGMA incremental_vacuum")
            try store.checkpointAndTruncateWAL()
            return try Self.ledger(in: connection, at: now)
        }
        ledger.withLock { $0 = storage }
        counters.withLock { totals in
            (totals.storedTips, totals.storedTipBytes, totals.storedReplies, totals.storedReplyBytes) = (0, 0, 0, 0)
        }
    }

    /// At most 64 secrets of 64 KiB (4 MiB) in one job's journal.
    static let rowsPerPurgeJob = 64
}
