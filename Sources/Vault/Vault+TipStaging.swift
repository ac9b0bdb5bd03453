import Synchronization

extension Vault {
    /// Starts a staging: bytes a request stores while it cannot yet write them in their final
    /// place, and reads back before the request ends (a tip's attachments, whose sizes the tar
    /// headers in front of them need; see docs/decisions/0014-streamed-attachments.md).
    ///
    /// They go to an unnamed file in the data directory (``StagingFile``), or in memory for a
    /// vault in memory (``StagingMemory``), never into the database: nothing lists or reads them
    /// as a tip, and a crash leaves nothing of them. Their bytes count in `maxStoredTipBytes`,
    /// because they take that room on disk or in memory; a staging takes no tip of `maxTips`,
    /// because it never becomes one.
    public func beginStaging() async throws -> TipStaging {
        let space: any StagingSpace = configuration.durability == .memory
            ? StagingMemory() : try StagingFile(directory: configuration.directory)
        return TipStaging(file: space, vault: self)
    }
}

/// Bytes staged for the length of one request: appended, then read back chunk by chunk once
/// ``seal()`` was called, then discarded. Memory holds at most one chunk of them (and the piece
/// being appended): they go to the file in writes of a chunk or more.
///
/// The caller stores only ciphertext here (this type neither knows nor checks it). Calls follow
/// each other, as a ``TipUpload``'s do. A staging dropped without ``discard()`` gives its room
/// back, and its file goes with its descriptor.
public final class TipStaging: Sendable {
    private let file: any StagingSpace
    private let vault: Vault
    private let progress = Mutex(Progress())

    private struct Progress {
        enum Phase { case open, sealed, discarded }
        var phase = Phase.open
        /// Appended bytes not yet in the file; shorter than one chunk between calls.
        var buffer: [UInt8] = []
        /// Bytes in the file.
        var written = 0
        /// Every byte appended so far, all of it reserved in the inbox quota.
        var bytes = 0
    }

    /// The size of a chunk ``chunk(_:)`` reads, and of the least write to the file.
    public static let chunkBytes = TipTable.chunkBytes

    init(file: any StagingSpace, vault: Vault) {
        self.file = file
        self.vault = vault
    }

    deinit {
        let held = progress.withLock { $0.phase == .discarded ? 0 : $0.bytes }
        if held > 0 { vault.releaseTipRoom(bytes: held, tip: false) }
    }

    /// Throws ``VaultError/inboxFull`` when the bytes would take the inbox past its quota, and
    /// ``VaultError/diskFull`` when the file system has no room for them.
    public func append(_ bytes: [UInt8]) async throws {
        let vault = self.vault
        let (toWrite, offset) = try progress.withLock { progress throws -> ([UInt8], Int) in
            precondition(progress.phase == .open, "TipStaging.append after seal or discard")
            guard !bytes.isEmpty else { return ([], 0) }
            guard vault.reserveTipBytes(bytes.count) else { throw VaultError.inboxFull }
            progress.bytes += bytes.count
            let offset = progress.written
            // A piece of a chunk or more goes to the file as it is, without a copy.
            if progress.buffer.isEmpty, bytes.count >= Self.chunkBytes {
                progress.written += bytes.count
                return (bytes, offset)
            }
            if progress.buffer.isEmpty { progress.buffer.reserveCapacity(Self.chunkBytes + bytes.count) }
            progress.buffer += bytes
            guard progress.buffer.count >= Self.chunkBytes else { return ([], 0) }
            progress.written += progress.buffer.count
            defer { progress.buffer = [] }
            return (progress.buffer, offset)
        }
        guard !toWrite.isEmpty else { return }
        try await file.write(toWrite, at: offset)
    }

    /// Writes what is still buffered; after it, nothing more may be appended.
    public func seal() async throws {
        let (last, offset) = progress.withLock { progress -> ([UInt8], Int) in
            precondition(progress.phase == .open, "TipStaging.seal after seal or discard")
            progress.phase = .sealed
            defer { progress.written += progress.buffer.count; progress.buffer = [] }
            return (progress.buffer, progress.written)
        }
        guard !last.isEmpty else { return }
        try await file.write(last, at: offset)
    }

    /// The staged chunk at `index` (from 0), once sealed; nil after the last one.
    public func chunk(_ index: Int) async throws -> [UInt8]? {
        let written = progress.withLock { progress -> Int in
            precondition(progress.phase == .sealed, "TipStaging.chunk before seal or after discard")
            return progress.written
        }
        guard index >= 0, index < (written + Self.chunkBytes - 1) / Self.chunkBytes else { return nil }
        let offset = index * Self.chunkBytes
        return try await file.read(count: min(Self.chunkBytes, written - offset), at: offset)
    }

    /// Frees every staged byte (the file is closed, and with it gone) and gives the room back.
    public func discard() async {
        let held = progress.withLock { progress -> Int? in
            guard progress.phase != .discarded else { return nil }
            progress.phase = .discarded
            progress.buffer = []
            return progress.bytes
        }
        guard let held else { return }
        vault.releaseTipRoom(bytes: held, tip: false)
        await file.close()
    }
}
