extension Vault {
    /// Starts storing a tip. Its room in the count quota is taken now, so that concurrent uploads
    /// cannot overshoot `maxTips` together; ``TipUpload/append(_:)`` takes the bytes.
    ///
    /// Throws ``VaultError/inboxFull`` when `maxTips` tips are stored or being uploaded, or when
    /// no byte of `maxStoredTipBytes` is left: either way the upload could not end in a stored tip.
    public func beginTip() async throws -> TipUpload {
        guard reserveTip() else { throw VaultError.inboxFull }
        let id = TipID.random()
        do {
            try await storeWrite { try TipTable.insertUnfinished(id, in: $0) }
        } catch {
            releaseTipRoom(bytes: 0)
            throw error
        }
        return TipUpload(id: id, vault: self)
    }

    /// Finished tips only, oldest day first (by id within a day).
    public func tips() async throws -> [StoredTip] {
        try await storeRun { try TipTable.finished(in: $0) }
    }

    /// A reader over a finished tip's stored bytes; nil for an unknown, unfinished or deleted tip.
    public func openTip(_ id: TipID) async throws -> TipReader? {
        try await storeRun { try TipTable.finished(id, in: $0) }.map { TipReader(tip: $0, vault: self) }
    }

    /// Deletes a tip for everyone, durably; true for the one call that found it.
    ///
    /// `secure_delete` zeroes the freed pages, but the tip's bytes also sit in the database file
    /// until a checkpoint overwrites them and in older WAL frames until the WAL is truncated:
    /// the checkpoint after the delete does both before the acknowledgement is answered. Should
    /// the checkpoint fail, the error is thrown although the tip is already gone (a retry finds
    /// nothing); the next sweep checkpoints again.
    public func deleteTip(_ id: TipID) async throws -> Bool {
        guard let bytes = try await storeWrite({ try TipTable.delete(id, in: $0) }) else { return false }
        releaseTipRoom(bytes: bytes)
        try await deleteChunks(of: id)
        try await storeRun { [store] _ in try store.checkpointAndTruncateWAL() }
        return true
    }

    /// Deletes an upload in progress: its chunks, then its row, so that a crash in between
    /// leaves it for the clean-up at the next open.
    func deleteUpload(_ id: TipID) async throws {
        try await deleteChunks(of: id)
        try await storeWrite { try TipTable.deleteUnfinished(id, in: $0) }
    }

    /// A tip's chunks, a few per job (``TipTable/chunksPerDelete``), so that the memory the
    /// delete needs stays the same whatever the tip's size. Should one job fail, the rest stay,
    /// unlisted and unreadable, until the clean-up at the next open.
    private func deleteChunks(of id: TipID) async throws {
        while try await storeWrite({ try TipTable.deleteChunks(of: id, in: $0) }) > 0 {}
    }

    // MARK: Inbox quota

    /// Takes one tip of the count quota, or counts a refusal when there is no room.
    private func reserveTip() -> Bool {
        let limits = (count: configuration.maxTips, bytes: configuration.maxStoredTipBytes)
        return counters.withLock { totals in
            guard totals.storedTips < limits.count, totals.storedTipBytes < limits.bytes else {
                totals.refusedInboxFull += 1
                return false
            }
            totals.storedTips += 1
            return true
        }
    }

    /// Takes room for `bytes` more of an upload, or counts a refusal when there is none.
    func reserveTipBytes(_ bytes: Int) -> Bool {
        let limit = configuration.maxStoredTipBytes
        return counters.withLock { totals in
            guard totals.storedTipBytes + bytes <= limit else {
                totals.refusedInboxFull += 1
                return false
            }
            totals.storedTipBytes += bytes
            return true
        }
    }

    /// Gives back one tip (unless `tip` is false: a ``TipStaging`` holds none) and its bytes:
    /// deleted, abandoned, or never written.
    func releaseTipRoom(bytes: Int, tip: Bool = true) {
        counters.withLock { totals in
            if tip { totals.storedTips -= 1 }
            totals.storedTipBytes -= bytes
        }
    }
}

/// Streams one finished tip's age file, one stored chunk per call, so that a reader holds at
/// most one chunk whatever the tip's size.
public struct TipReader: Sendable {
    public let tip: StoredTip
    let vault: Vault

    /// The chunk at `index` (from 0); nil after the last one, or when the tip was deleted
    /// meanwhile. Each chunk is read in one job, and a delete is one transaction, so a reader
    /// gets the tip's own bytes or nil, never a mixture. The caller announces ``StoredTip/bytes``
    /// (Content-Length), so a client sees a tip cut short by a delete as incomplete.
    public func chunk(_ index: Int) async throws -> [UInt8]? {
        guard index >= 0 else { return nil }
        let id = tip.id
        return try await vault.storeRun { try TipTable.chunk(id, sequence: Int64(index), in: $0) }
    }
}
