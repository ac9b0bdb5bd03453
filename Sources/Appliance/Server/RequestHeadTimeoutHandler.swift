import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head does not arrive complete within the timeout.
///
/// An idle timeout alone does not stop slowloris: a client that trickles one header byte at a
/// time is never idle. The deadline starts when the connection opens and after each response,
/// and only a complete request head stops it.
///
/// A keep-alive connection starts a deadline after every answer, so the timer is lazy: one
/// scheduled check per connection, which closes a connection still waiting past its deadline
/// and otherwise schedules itself for the deadline that now holds, instead of a task scheduled
/// and cancelled on the event loop for every request.
final class RequestHeadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    /// When the head now awaited must have arrived; nil while a request is being served.
    private var deadline: NIODeadline?
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { awaitHead(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHead(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { deadline = nil }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { awaitHead(context: context) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    private func awaitHead(context: ChannelHandlerContext) {
        deadline = .now() + timeout
        if check == nil { schedule(at: deadline!, context: context) }
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: time) {
            let (handler, context) = loopBound.value
            handler.check = nil
            handler.deadlinePassed(context: context)
        }
    }

    private func deadlinePassed(context: ChannelHandlerContext) {
        guard let deadline else { return }
        if deadline <= .now() {
            context.close(promise: nil)
        } else {
            schedule(at: deadline, context: context)
        }
    }

    private func stop() {
        check?.cancel()
        check = nil
        deadline = nil
    }
}
