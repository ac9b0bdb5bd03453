import Dispatch
import Synchronization

/// Copies the WAL back into the database on a connection and a queue of its own, so that the
/// store's writes never wait for a checkpoint: a tip of 100 MiB is 100 commits, and with
/// SQLite's automatic checkpoint every 2048 frames the store's one connection would stop about
/// every 8 MiB to copy them, sync the WAL and sync the database, while the request waits.
///
/// After every commit the store reports the WAL's length (``committed(frames:)``); past
/// ``framesBetweenCheckpoints`` a passive checkpoint is queued here, one at a time. A passive
/// checkpoint takes no lock that a writer or a reader waits for: it copies what no reader still
/// needs, syncing the WAL before and the database after, as the automatic one does. Durability
/// is unchanged: a frame leaves the WAL only once a checkpoint copied and synced it, and every
/// durable commit syncs the WAL it is in.
///
/// While writes follow each other, a checkpoint beside them never reaches the end of the WAL,
/// and only a WAL copied to its end starts over from its beginning: past
/// ``framesBeforeCatchingUp`` the store's connection copies the rest itself, between two
/// commits, so the WAL stays about 32 MiB long however large the tip.
///
/// The store's own checkpoints (that one, and the truncating one that makes deleted bytes
/// unreadable) wait for the one in progress here first (``drain()``), since two checkpoints
/// cannot run at once.
final class Checkpointer: @unchecked Sendable {
    /// SQLite's default for its automatic checkpoint (4 KiB pages: 8 MiB).
    static let framesBetweenCheckpoints: Int32 = 2048
    /// 32 MiB of 4 KiB pages: the most the WAL holds beyond one write, on disk beside the database.
    static let framesBeforeCatchingUp: Int32 = 8192

    /// Only touched on `queue`.
    private let connection: SQLiteConnection
    private let queue = DispatchQueue(label: "ashlink.vault.checkpoint")
    /// Whether a checkpoint is queued or running: commits in the meantime queue no other.
    private let pending = Atomic<Bool>(false)

    /// Opens its connection to the store's database, which is in WAL mode already.
    init(path: String, syncs: Bool) throws {
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA synchronous = \(syncs ? "NORMAL" : "OFF")")
    }

    /// Called on the store's queue after each commit of `store`, with the WAL's length in frames.
    func committed(frames: Int32, on store: SQLiteConnection) {
        if frames >= Self.framesBeforeCatchingUp {
            drain()
            // A failure leaves the WAL longer, never wrong: the next commit tries again.
            try? store.checkpointPassively()
            return
        }
        guard frames >= Self.framesBetweenCheckpoints, !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Weakly: a store that is gone closes its connections at once (``drain()``), not when a
        // checkpoint queued for it comes round.
        queue.async { [weak self] in
            guard let self else { return }
            // A failed passive checkpoint costs nothing: the next commit queues another.
            _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            pending.store(false, ordering: .releasing)
        }
    }

    /// Returns once no checkpoint is queued or running here. Called on the store's queue, which
    /// makes the commits that would queue a new one: none can start until that job ends.
    func drain() {
        queue.sync {}
    }
}
