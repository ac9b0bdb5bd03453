import NIOCore
import NIOHTTPTypes
import Synchronization

/// Keeps the connection cap from becoming a door that idle connections hold shut.
///
/// Behind tor every client is the same local address, so a few hundred connections that open
/// and never finish their request head fill `max_connections` until the header timeout frees
/// them, and every real request waits that long. Here, when a new connection takes the last
/// slot, the connection that has waited longest for its next request head (one that never sent
/// one, or an idle keep-alive) is closed to make room: a client that sends its request at once
/// is served, however many incomplete connections keep arriving. A connection whose head has
/// arrived is never shed; its body has its own limits (``BoundedBody``, ``UploadPace``).
final class ConnectionShedding: Sendable {
    private struct Waiting {
        let channel: any Channel
        let since: UInt64
    }

    private struct State {
        var open = 0
        var clock: UInt64 = 0
        var waiting: [ObjectIdentifier: Waiting] = [:]
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Counts a new connection; beyond the cap, closes the one that has waited longest for its
    /// request head, or, when every other one is busy with a request, this new one.
    func opened(_ channel: any Channel) {
        let shed: (any Channel)? = state.withLock { state in
            state.open += 1
            state.clock += 1
            let id = ObjectIdentifier(channel)
            state.waiting[id] = Waiting(channel: channel, since: state.clock)
            guard state.open > capacity else { return nil }
            let oldest = state.waiting.min { $0.value.since < $1.value.since }?.key ?? id
            return state.waiting.removeValue(forKey: oldest)?.channel
        }
        shed?.close(promise: nil)
    }

    func headArrived(on channel: any Channel) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// After a response, a keep-alive connection waits for its next head: from now on it counts
    /// as waiting again.
    func responded(on channel: any Channel) {
        state.withLock { state in
            state.clock += 1
            state.waiting[ObjectIdentifier(channel)] = Waiting(channel: channel, since: state.clock)
        }
    }

    func closed(_ channel: any Channel) {
        state.withLock { state in
            state.open -= 1
            state.waiting[ObjectIdentifier(channel)] = nil
        }
    }

    /// The handler each connection of one listener gets.
    func handler() -> Handler { Handler(shedding: self) }

    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let shedding: ConnectionShedding
        private var counted = false

        init(shedding: ConnectionShedding) {
            self.shedding = shedding
        }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { open(context) }
        }

        func channelActive(context: ChannelHandlerContext) {
            open(context)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head = unwrapInboundIn(data) { shedding.headArrived(on: context.channel) }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) { shedding.responded(on: context.channel) }
            context.write(data, promise: promise)
        }

        func channelInactive(context: ChannelHandlerContext) {
            close(context)
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            close(context)
        }

        private func open(_ context: ChannelHandlerContext) {
            guard !counted else { return }
            counted = true
            shedding.opened(context.channel)
        }

        private func close(_ context: ChannelHandlerContext) {
            guard counted else { return }
            counted = false
            shedding.closed(context.channel)
        }
    }
}
