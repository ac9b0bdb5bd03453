import NIOCore
import Synchronization

/// Open connections per circuit (`max_connections_per_circuit`), below the global cap of
/// ``ConnectionShedding``: one circuit opening connections by the hundred holds at most its
/// share, so it cannot push out every other circuit's. A connection beyond its circuit's share
/// is closed without an answer. The table holds only circuits with an open connection (an entry
/// goes with its circuit's last connection), so it is never larger than the open connections.
final class CircuitConnections: Sendable {
    private let perCircuit: Int
    private let open = Mutex<[UInt32: Int]>([:])

    init(perCircuit: Int) {
        precondition(perCircuit > 0)
        self.perCircuit = perCircuit
    }

    /// Counts `channel` for `circuit` until it closes; false, counting nothing, when the
    /// circuit already holds its share. Connections without a circuit are always admitted.
    func admit(_ circuit: CircuitIdentity, on channel: any Channel) -> Bool {
        guard let key = circuit.shareKey else { return true }
        let admitted = open.withLock { open in
            let count = open[key, default: 0]
            guard count < perCircuit else { return false }
            open[key] = count + 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.release(key) }
        }
        return admitted
    }

    /// Circuits with at least one open connection (for tests and the table's bound).
    var circuits: Int { open.withLock { $0.count } }

    private func release(_ key: UInt32) {
        open.withLock { open in
            guard let count = open[key] else { return }
            open[key] = count > 1 ? count - 1 : nil
        }
    }
}
