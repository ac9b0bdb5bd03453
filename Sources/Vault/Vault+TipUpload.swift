import Synchronization

/// One tip being stored, piece by piece as its age file is produced: memory holds at most one
/// chunk (``TipTable/chunkBytes``) of it, however large the tip.
///
/// Calls on one upload follow each other (`append`…, then `finish` or `abandon`); an upload is
/// one request's, and overlapping calls on it are a programming error that stops the process.
/// An upload that is dropped without `finish` or `abandon` gives its room back and has its rows
/// deleted, so a forgotten one cannot fill the inbox.
public final class TipUpload: Sendable {
    let id: TipID
    private let vault: Vault
    private let progress = Mutex(Progress())

    private struct Progress {
        enum Phase { case open, writing, failed, finished, abandoned }
        var phase = Phase.open
        /// Appended bytes not yet in a stored chunk; shorter than one chunk between calls.
        var buffer: [UInt8] = []
        var nextSequence: Int64 = 0
        /// Every byte appended so far, all of it reserved in the inbox quota.
        var bytes = 0

        /// Appending to or finishing an upload is only possible while it is open.
        func checkOpen() throws {
            switch phase {
            case .open: return
            case .writing: preconditionFailure("TipUpload call overlaps another call on the same upload")
            case .failed: throw VaultError.storage("an earlier write of this tip failed; abandon it")
            case .finished: preconditionFailure("TipUpload used after finish")
            case .abandoned: preconditionFailure("TipUpload used after abandon")
            }
        }
    }

    init(id: TipID, vault: Vault) {
        self.id = id
        self.vault = vault
    }

    deinit {
        let unfinished = progress.withLock { $0.phase == .open || $0.phase == .failed ? $0.bytes : nil }
        guard let unfinished else { return }
        vault.releaseTipRoom(bytes: unfinished)
        let id = self.id, vault = self.vault
        Task { try? await vault.deleteUpload(id) }
    }

    /// Adds bytes to the tip, writing every full chunk before it returns.
    ///
    /// Throws ``VaultError/inboxFull`` when the bytes would take the inbox past
    /// `maxStoredTipBytes`: nothing of them is kept, and the caller abandons the upload. After any
    /// error the upload can only be abandoned.
    public func append(_ bytes: [UInt8]) async throws {
        let vault = self.vault
        let chunks = try progress.withLock { progress -> [(sequence: Int64, data: [UInt8])] in
            try progress.checkOpen()
            guard !bytes.isEmpty else { return [] }
            guard vault.reserveTipBytes(bytes.count) else { throw VaultError.inboxFull }
            progress.bytes += bytes.count
            // Each byte is copied once, into a buffer of exactly one chunk that then becomes the
            // chunk itself: no slice of a larger buffer copied out, nothing moved to its front.
            var chunks: [(sequence: Int64, data: [UInt8])] = []
            var start = 0
            while start < bytes.count {
                if progress.buffer.isEmpty { progress.buffer.reserveCapacity(TipTable.chunkBytes) }
                let take = min(TipTable.chunkBytes - progress.buffer.count, bytes.count - start)
                progress.buffer += bytes[start..<start + take]
                start += take
                guard progress.buffer.count == TipTable.chunkBytes else { break }
                chunks.append((progress.nextSequence, progress.buffer))
                progress.buffer = []
                progress.nextSequence += 1
            }
            if !chunks.isEmpty { progress.phase = .writing }
            return chunks
        }
        guard !chunks.isEmpty else { return }
        let id = self.id
        try await write(durable: false) { connection in
            for chunk in chunks {
                try TipTable.insertChunk(id, sequence: chunk.sequence, data: chunk.data, in: connection)
            }
        }
        progress.withLock { $0.phase = .open }
    }

    /// Writes the rest and makes the tip a stored one, dated today (UTC), in one durable commit:
    /// once this returns the tip survives a crash, and before it nothing of it will be listed.
    public func finish() async throws -> StoredTip {
        let (last, sequence, bytes) = try progress.withLock { progress in
            try progress.checkOpen()
            progress.phase = .writing
            defer { progress.buffer = [] }
            return (progress.buffer, progress.nextSequence, progress.bytes)
        }
        let day = UTCDay.day(ofSecond: vault.clock.now())
        let id = self.id
        try await write(durable: true) { connection in
            if !last.isEmpty { try TipTable.insertChunk(id, sequence: sequence, data: last, in: connection) }
            guard try TipTable.finish(id, bytes: bytes, day: day, in: connection) else {
                throw VaultError.storage("the tip's upload row is missing")
            }
        }
        progress.withLock { $0.phase = .finished }
        return StoredTip(id: id, bytes: bytes, receivedDay: day)
    }

    /// Deletes whatever was written and gives the room back. Does nothing after `finish` (a
    /// stored tip is only ever deleted by ``Vault/deleteTip(_:)``) or a first `abandon`.
    ///
    /// Should the delete itself fail, the rows stay, unlisted and unreadable, until the clean-up
    /// at the next open removes them.
    public func abandon() async {
        let bytes = progress.withLock { progress -> Int? in
            precondition(progress.phase != .writing, "TipUpload.abandon overlaps another call on the same upload")
            guard progress.phase == .open || progress.phase == .failed else { return nil }
            progress.phase = .abandoned
            progress.buffer = []
            return progress.bytes
        }
        guard let bytes else { return }
        vault.releaseTipRoom(bytes: bytes)
        let id = self.id
        try? await vault.deleteUpload(id)
    }

    /// A group-committed write for this upload; a failure leaves it fit only to be abandoned.
    /// Only `finish` needs its commit synced: until then nobody is told of the tip, and the
    /// finish's sync makes every chunk written before it durable with it.
    private func write(durable: Bool, _ body: @escaping @Sendable (SQLiteConnection) throws -> Void) async throws {
        do {
            try await vault.storeWrite(durable: durable, body)
        } catch {
            progress.withLock { $0.phase = .failed }
            throw error
        }
    }
}
