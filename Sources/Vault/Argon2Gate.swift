import Dispatch

/// Runs passphrase and codename stretching on background threads, at most `limit` at a time,
/// with a bounded queue in front.
///
/// Each Argon2id run holds 64 MiB (locked, once the process has called `mlockall`) and ~60 ms of
/// a core. Without a cap, a burst of guesses through Tor would exhaust locked memory and starve
/// every other request. Anyone can ask for a run with nothing but a form (a reveal of any token
/// with a passphrase, a codename check), so the queue is bounded too: beyond `maxWaiting` waiting
/// runs a new one is refused at once with ``VaultError/busy``, a run that waited `maxWait`
/// without a slot gives up the same way, and a waiting run whose task is cancelled (its client
/// went away) leaves the queue without running. Each waiter holds its passphrase, so the queue's
/// bound is also the bound on that memory. Runs asked for by one ``Argon2Party`` hold at most
/// `maxPerParty` places, waiting or running, so one party cannot take the whole queue.
actor Argon2Gate {
    private let limit: Int
    private let maxWaiting: Int
    private let maxWait: Duration
    private let maxPerParty: Int
    private var running = 0
    /// Places held per party; a party leaves the table with its last run.
    private var held: [UInt32: Int] = [:]
    private var nextTicket = 0
    private var waiting: [(ticket: Int, turn: CheckedContinuation<Bool, Never>)] = []

    init(limit: Int, maxWaiting: Int, maxWait: Duration, maxPerParty: Int = .max) {
        precondition(limit > 0 && maxWaiting >= 0 && maxWait >= .zero && maxPerParty > 0)
        self.limit = limit
        self.maxWaiting = maxWaiting
        self.maxWait = maxWait
        self.maxPerParty = maxPerParty
    }

    /// How many runs wait for a slot now.
    var waitingRuns: Int { waiting.count }

    /// Runs `work` once a slot is free; throws ``VaultError/busy`` without running it when the
    /// queue is full, the wait passes `maxWait`, or the task is cancelled while it waits.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(VaultError) -> T {
        let party = Argon2Party.current
        guard enter(party) else { throw .busy }
        defer { leave(party) }
        guard await acquire() else { throw .busy }
        defer { release() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Takes a slot, waiting for one when all are taken; false when the run is not to happen.
    private func acquire() async -> Bool {
        guard !Task.isCancelled else { return false }
        if running < limit {
            running += 1
            return true
        }
        guard waiting.count < maxWaiting else { return false }
        let ticket = nextTicket
        nextTicket += 1
        let deadline = Task { [maxWait] in
            try await Task.sleep(for: maxWait)
            self.giveUp(ticket)
        }
        defer { deadline.cancel() }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { turn in
                if Task.isCancelled { turn.resume(returning: false) } else { waiting.append((ticket, turn)) }
            }
        } onCancel: {
            Task { await self.giveUp(ticket) }
        }
        guard granted, !Task.isCancelled else {
            if granted { release() }
            return false
        }
        return true
    }

    private func enter(_ party: UInt32?) -> Bool {
        guard let party else { return true }
        let places = held[party, default: 0]
        guard places < maxPerParty else { return false }
        held[party] = places + 1
        return true
    }

    private func leave(_ party: UInt32?) {
        guard let party, let places = held[party] else { return }
        held[party] = places > 1 ? places - 1 : nil
    }

    /// Takes a waiter out of the queue, if it is still there, and tells it no.
    private func giveUp(_ ticket: Int) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).turn.resume(returning: false)
    }

    /// Hands the slot straight to the next waiter, so `running` never exceeds `limit`.
    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().turn.resume(returning: true)
        }
    }
}
