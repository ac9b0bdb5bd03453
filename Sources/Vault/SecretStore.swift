#if canImport(Glibc)
import Glibc
import SmallFiles
#endif
import Dispatch

/// The vault's SQLite connection and the one serial queue that every use of it goes through
/// (a second connection, the ``Checkpointer``'s, only copies the WAL back into the database; a
/// vault in memory has no WAL and no second connection).
///
/// Serialising all statements on one connection is what decides a reveal's winner: the first
/// job that deletes the row is the only one that ever sees it. It also keeps blocking disk I/O
/// (and fsync in durable mode) off the event loops and the cooperative thread pool.
///
/// Writes are group-committed: the writes that queue up while one commit is being synced run
/// one after another in the next transaction, each in its own savepoint, and all are answered
/// after that single commit. Every acknowledged write is still on disk before it is answered;
/// one fsync simply covers many of them under load.
///
/// A write may say it needs no sync of its own (``write(durable:_:)``): a tip's chunks before its
/// finish, which nobody is told about. A commit made only of such writes leaves its WAL frames
/// unsynced (`synchronous = NORMAL`: the WAL is still synced before every checkpoint, and the
/// database cannot be corrupted); the next durable commit syncs the WAL, and with it every frame
/// before its own. So a tip's finish makes all of it durable at once, instead of one fsync per
/// chunk.
final class SecretStore: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let queue = DispatchQueue(label: "ashlink.vault.store")
    /// Whether commits sync at all (`synchronous = FULL`); an ephemeral vault never does.
    private let syncs: Bool
    /// Copies the WAL back into the database beside the store's queue (see ``Checkpointer``);
    /// nil in memory, where there is no WAL.
    let checkpointer: Checkpointer?
    /// Only touched on `queue`.
    private var pendingWrites: [PendingWrite] = []

    private struct PendingWrite {
        /// Runs the job inside the open transaction and returns how to answer its caller once the
        /// commit's outcome is known.
        let perform: (SQLiteConnection) -> (_ commitError: (any Error)?) -> Void
        let fail: (any Error) -> Void
        let durable: Bool
    }

    init(configuration: VaultConfiguration) throws {
        if configuration.durability == .ephemeral, !Self.isRAMBacked(configuration.directory) {
            throw VaultError.ephemeralNeedsRAMBackedDirectory(configuration.directory)
        }
        syncs = configuration.durability == .durable
        let inMemory = configuration.durability == .memory
        do {
            connection = try inMemory
                ? SQLiteConnection(inMemoryLimitedTo: configuration.memoryFootprint.databaseBytes)
                : SQLiteConnection(path: configuration.databasePath)
            // auto_vacuum must be set before the first table exists to take effect.
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            // memdb has no shared memory for a WAL; its rollback journal stays in memory as well.
            try connection.query(inMemory ? "PRAGMA journal_mode = MEMORY" : "PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA secure_delete = ON")
            try connection.execute("PRAGMA cache_size = -\(configuration.cacheKiB)")
            try connection.execute("PRAGMA temp_store = MEMORY")
            try connection.execute("PRAGMA journal_size_limit = 4194304")
            switch configuration.durability {
            case .durable: try connection.execute("PRAGMA synchronous = FULL")
            case .ephemeral, .memory: try connection.execute("PRAGMA synchronous = OFF")
            }
            try Schema.migrate(connection)
            // Without a WAL there is nothing to copy back: a vault in memory has one connection.
            checkpointer = try inMemory ? nil : Checkpointer(path: configuration.databasePath, syncs: syncs)
            if let checkpointer {
                connection.onCommit { store, frames in checkpointer.committed(frames: frames, on: store) }
            }
        } catch let error as StorageError {
            throw VaultError.storage(error.message)
        }
    }

    /// The checkpoint in progress, if any, ends first, so that both connections close now: a
    /// vault opened next on the same folder finds them closed.
    deinit {
        checkpointer?.drain()
    }

    /// Runs `body` alone on the connection, off the caller's thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }

    /// Runs `body` as part of the next group commit; answers once that commit is durable, or,
    /// when `durable` is false, once it is written (synced by the next durable commit).
    func write<T: Sendable>(
        durable: Bool = true, _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.pendingWrites.append(PendingWrite(
                    perform: { connection in
                        let result = Result { try connection.transaction { try body(connection) } }
                        return { commitError in
                            if let commitError {
                                continuation.resume(throwing: commitError)
                            } else {
                                continuation.resume(with: result)
                            }
                        }
                    },
                    fail: { continuation.resume(throwing: $0) },
                    durable: durable))
                if self.pendingWrites.count == 1 {
                    self.queue.async { self.commitPendingWrites() }
                }
            }
        }
    }

    private func commitPendingWrites() {
        let batch = pendingWrites
        pendingWrites = []
        do {
            // Set for every commit, so that a durable one never follows a relaxed one unsynced.
            // (Cached statements, as every commit runs them.)
            if syncs { try connection.query(batch.contains { $0.durable } ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL") }
            try connection.query("BEGIN IMMEDIATE")
        } catch {
            batch.forEach { $0.fail(error) }
            return
        }
        let answers = batch.map { $0.perform(connection) }
        var commitError: (any Error)?
        do {
            try connection.query("COMMIT")
        } catch {
            commitError = error
            _ = try? connection.query("ROLLBACK")
        }
        answers.forEach { $0(commitError) }
    }

    /// Copies every committed page from the WAL into the database file and truncates the WAL to
    /// nothing: the zeroed pages that `secure_delete` left replace the deleted bytes in the file,
    /// and no older WAL frame holding them survives. Run on the store's queue (inside a job), so
    /// no transaction of the store is open; the checkpointer's is waited for first, so the
    /// checkpoint always completes, and it is an error if it did not.
    ///
    /// In memory there is no WAL: the deleted bytes were only ever in the database's pages,
    /// which `secure_delete` has already overwritten.
    func checkpointAndTruncateWAL() throws {
        guard let checkpointer else { return }
        checkpointer.drain()
        let busy = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)").first?.integer("busy")
        guard busy == 0 else { throw VaultError.storage("the WAL could not be checkpointed and truncated") }
    }

    /// Runs `body` on the connection from the calling thread, for start-up work before serving.
    func runNow<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try queue.sync { try body(connection) }
    }

    /// Whether `path` is on tmpfs or ramfs. Ephemeral mode never syncs, and promises that nothing
    /// survives a reboot: both hold only on a file system that lives in memory.
    ///
    /// The C library's module has no `statfs`, so the kernel's mount table answers instead: the
    /// mount whose device number is the folder's names the file system type. Matching by device
    /// rather than by path is immune to symlinks, bind mounts and escaped spaces in mount points.
    private static func isRAMBacked(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, let mounts = try? TextFile.read("/proc/self/mountinfo") else { return false }
        // glibc's dev_t encoding, as its major() and minor() macros decode it.
        let device = UInt64(info.st_dev)
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~0xFFF)
        let minor = (device & 0xFF) | ((device >> 12) & ~0xFF)
        let deviceField = "\(major):\(minor)"
        // mountinfo(5): "ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTIONS"
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 2, fields[2] == deviceField,
                  let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count else { continue }
            return fields[separator + 1] == "tmpfs" || fields[separator + 1] == "ramfs"
        }
        return false
    }
}
