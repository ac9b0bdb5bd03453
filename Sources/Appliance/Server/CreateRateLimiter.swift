import Synchronization

/// Token buckets for creates: one global, and one per tor circuit inside it.
///
/// Behind Tor every client arrives as the local tor daemon; the global bucket bounds how fast
/// everyone together can fill the vault. With `proxy_protocol = on` each circuit also has its
/// own, smaller bucket (`creates_per_minute_per_circuit`), so one circuit that floods runs dry
/// alone while the global bucket still has tokens for everyone else. A circuit whose bucket is
/// empty is refused before it touches the global one. Reveals are not limited, so a flood of
/// creates never stops a recipient from reading a secret.
///
/// A circuit's bucket is made only for a create the global bucket let through and dropped once
/// it has refilled, so the table holds at most the creates of one refill period (a few hundred
/// at the defaults), however many circuits ask.
final class CreateRateLimiter: Sendable {
    private struct State {
        var global: TokenBucket
        var circuits: [UInt32: TokenBucket] = [:]
    }

    private let perCircuitPerMinute: Int
    private let state: Mutex<State>

    init(perMinute: Int, perCircuitPerMinute: Int) {
        self.perCircuitPerMinute = perCircuitPerMinute
        state = Mutex(State(global: TokenBucket(perMinute: perMinute, now: TokenBucket.monotonicSeconds())))
    }

    func tryAcquire(for circuit: CircuitIdentity) -> Bool {
        let now = TokenBucket.monotonicSeconds()
        return state.withLock { state in
            guard let key = circuit.shareKey else { return state.global.tryTake(at: now) }
            if let bucket = state.circuits[key], !bucket.hasToken(at: now) { return false }
            guard state.global.tryTake(at: now) else { return false }
            if state.circuits[key] == nil {
                state.circuits = state.circuits.filter { !$0.value.isFull(at: now) }
            }
            var bucket = state.circuits[key] ?? TokenBucket(perMinute: perCircuitPerMinute, now: now)
            _ = bucket.tryTake(at: now)
            state.circuits[key] = bucket
            return true
        }
    }

    /// Circuits whose buckets are kept (for the table's bound).
    var circuitsTracked: Int { state.withLock { $0.circuits.count } }
}
