import NIOCore

/// First in the public listener's pipeline when `proxy_protocol = on`: holds every byte back
/// until a complete PROXY v1 line (``ProxyHeader``) has arrived, records the circuit it names,
/// counts the connection against that circuit's share (``CircuitConnections``), then passes on
/// whatever followed the line, untouched, and leaves the pipeline. A connection that starts
/// with anything else, whose line is malformed or too long, or whose circuit holds its share
/// already, is closed without an answer: an answer would tell a stranger on the box what listens
/// here, and tor, the only client, always sends the line. The line's time counts against the
/// request head's (``RequestHeadTimeoutHandler`` starts its deadline when the connection opens).
final class ProxyHeaderHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let circuit: ConnectionCircuit
    private let connections: CircuitConnections
    private var received: ByteBuffer?
    private var refused = false

    init(circuit: ConnectionCircuit, connections: CircuitConnections) {
        self.circuit = circuit
        self.connections = connections
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        guard var buffer = received else { return }
        switch ProxyHeader.scan(Array(buffer.readableBytesView.prefix(ProxyHeader.maximumLength))) {
        case .incomplete:
            return
        case .invalid:
            refuse(context)
        case .complete(let header, let length):
            received = nil
            guard connections.admit(header.circuit, on: context.channel) else { return refuse(context) }
            circuit.record(header.circuit)
            buffer.moveReaderIndex(forwardBy: length)
            if buffer.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(buffer)) }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    /// Nothing reaches the HTTP decoder before the line is through, so neither does the end of a
    /// read that brought only part of it.
    func channelReadComplete(context: ChannelHandlerContext) {
        if received == nil, !refused { context.fireChannelReadComplete() }
    }

    private func refuse(_ context: ChannelHandlerContext) {
        refused = true
        received = nil
        context.close(promise: nil)
    }
}
