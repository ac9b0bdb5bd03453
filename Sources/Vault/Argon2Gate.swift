import Dispatch

/// Runs passphrase stretching on background threads, at most `limit` at a time.
///
/// Each Argon2id run holds 64 MiB (locked, once the process has called `mlockall`) and ~60 ms of
/// a core. Without a cap, a burst of passphrase guesses through Tor would exhaust locked memory
/// and starve every other request; with it, extra guesses simply wait their turn.
///
/// Work that anyone can ask for at will (a codename check needs no link, only a form) uses
/// ``tryRun(_:)`` instead: beyond `maxWaiting` queued runs it is refused at once with
/// ``VaultError/busy``, so a flood of checks gets a quick "try again" instead of an ever longer
/// queue that would also hold back every passphrase.
actor Argon2Gate {
    private let limit: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, maxWaiting: Int) {
        precondition(limit > 0 && maxWaiting >= 0)
        self.limit = limit
        self.maxWaiting = maxWaiting
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        _ = await acquire()
        return await runAcquired(work)
    }

    /// Like ``run(_:)``, but throws ``VaultError/busy`` without waiting when every slot is taken
    /// and `maxWaiting` runs (of either kind) already wait for one.
    func tryRun<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(VaultError) -> T {
        guard await acquire(queueLimit: maxWaiting) else { throw .busy }
        return await runAcquired(work)
    }

    private func runAcquired<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        defer { release() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Takes a slot, waiting for one when all are taken; false, without waiting, when
    /// `queueLimit` runs already wait.
    private func acquire(queueLimit: Int = .max) async -> Bool {
        if running < limit {
            running += 1
            return true
        }
        guard waiting.count < queueLimit else { return false }
        await withCheckedContinuation { waiting.append($0) }
        return true
    }

    /// Hands the slot straight to the next waiter, so `running` never exceeds `limit`.
    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
