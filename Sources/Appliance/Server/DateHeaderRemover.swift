import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Takes the `Date` header out of every response, on every listener.
///
/// Hummingbird adds one to each answer: the host's clock to the second, which compared across
/// onions is a fingerprint of the machine, and tells anyone who keeps answers exactly when each
/// was made. Nothing here needs it: every answer is `no-store`, so no cache ages one.
final class DateHeaderRemover: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        head.headerFields[.date] = nil
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
