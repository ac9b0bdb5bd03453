import Synchronization

/// Whose connection this is, for the fair shares: behind tor with `proxy_protocol = on`, the
/// rendezvous circuit it came on (every stream of one circuit carries the same id), otherwise
/// nobody in particular. Connections without a circuit are held only by the global limits: they
/// cannot be told apart, so a share of theirs would be a second global limit.
enum CircuitIdentity: Hashable, Sendable {
    case circuit(UInt32)
    case unidentified

    /// The key of the per-circuit tables, nil for connections that have none.
    var shareKey: UInt32? {
        if case .circuit(let id) = self { id } else { nil }
    }
}

/// One connection's circuit, written once by ``ProxyHeaderHandler`` before it lets any byte of
/// the request through, read by every request on that connection (``ApplianceRequestContext``).
/// Hummingbird gives a request context the channel only; the connection's task carries this cell
/// (``CircuitHTTP1Channel``), so no table keyed by channel is needed.
final class ConnectionCircuit: Sendable {
    @TaskLocal static var current: ConnectionCircuit?

    private let identity = Mutex(CircuitIdentity.unidentified)

    var value: CircuitIdentity {
        identity.withLock { $0 }
    }

    func record(_ circuit: CircuitIdentity) {
        identity.withLock { $0 = circuit }
    }
}
