import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1 child channel with ``ProxyHeaderHandler`` in front of the HTTP decoder:
/// `HTTP1Channel`'s own additional handlers sit after the decoder and see HTTP parts only, while
/// the PROXY line comes before the first request byte. Each connection's task carries the
/// connection's ``ConnectionCircuit``, where its requests' contexts find the circuit.
struct CircuitHTTP1Channel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let http: HTTP1Channel.Value
        let circuit: ConnectionCircuit
        var channel: any Channel { http.channel }
    }

    let http1: HTTP1Channel
    let connections: CircuitConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let circuit = ConnectionCircuit()
        do {
            try channel.pipeline.syncOperations.addHandler(
                ProxyHeaderHandler(circuit: circuit, connections: connections), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger).map { Value(http: $0, circuit: circuit) }
    }

    func handle(value: Value, logger: Logger) async {
        await ConnectionCircuit.$current.withValue(value.circuit) {
            await http1.handle(value: value.http, logger: logger)
        }
    }
}
