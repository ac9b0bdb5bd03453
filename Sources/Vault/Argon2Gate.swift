import Dispatch

/// Runs passphrase stretching on background threads, at most `limit` at a time.
///
/// Each Argon2id run holds 64 MiB (locked, once the process has called `mlockall`) and ~60 ms of
/// a core. Without a cap, a burst of passphrase guesses through Tor would exhaust locked memory
/// and starve every other request; with it, extra guesses simply wait their turn.
actor Argon2Gate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        precondition(limit > 0)
        self.limit = limit
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await acquire()
        defer { release() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
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
