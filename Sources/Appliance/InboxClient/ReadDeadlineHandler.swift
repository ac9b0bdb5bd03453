import NIOCore
import NIOSOCKS

/// How long the client waits, enforced on the connection's event loop: for tor to reach the
/// onion (the SOCKS reply, which can take a minute on a fresh circuit), then for each read of
/// the answer. An expired wait fails the exchange with `Expired` and closes the connection, so
/// a stalled server or proxy ends the command instead of hanging it.
final class ReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    enum Expired: Error, CustomStringConvertible {
        case proxy(TimeAmount)
        case idle(TimeAmount)

        var description: String {
            switch self {
            case .proxy(let limit): "the SOCKS proxy did not connect to it within \(limit.nanoseconds / 1_000_000_000) seconds"
            case .idle(let limit): "no data for \(limit.nanoseconds / 1_000_000_000) seconds"
            }
        }
    }

    private let idle: TimeAmount
    /// The wait for the SOCKS reply while the proxy has not established the connection; nil
    /// once it has, and from the start when there is no proxy. The SOCKS handler sits before
    /// this one, so its handshake's reads never reach here: only the answer's do.
    private var proxyHandshake: TimeAmount?
    private var deadline: Scheduled<Void>?

    init(idle: TimeAmount, proxyHandshake: TimeAmount?) {
        self.idle = idle
        self.proxyHandshake = proxyHandshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        arm(context: context)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is SOCKSProxyEstablishedEvent {
            proxyHandshake = nil
            arm(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    private func arm(context: ChannelHandlerContext) {
        deadline?.cancel()
        let expired: Expired = proxyHandshake.map { .proxy($0) } ?? .idle(idle)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: proxyHandshake ?? idle) {
            context.fireErrorCaught(expired)
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ReadDeadlineHandler: Sendable {}
