import NIOCore

/// Closes a connection once its client has closed its side.
///
/// Hummingbird allows half-closed connections, so a client that sends a request and then closes
/// its socket leaves a connection that only looks open: the request's handler runs to the end
/// for nobody. Through tor, a closed tab or a cancelled guess ends the stream the same way.
/// Closing here lets the handlers that wait on the connection notice (`untilClientLeaves`), so a
/// passphrase guess that waits for the Argon2 gate leaves the queue. No client of Ashlink's
/// half-closes to wait for its answer; like a proxy that sees its client go, this answers nobody.
final class ClientAbortHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
