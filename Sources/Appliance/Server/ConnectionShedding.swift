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
///
/// Every request passes here twice (its head, its answer), so those two steps touch only the
/// connection's own ``Slot``; the shared table is locked when a connection opens or closes.
final class ConnectionShedding: Sendable {
    /// One open connection, and since when (on ``clock``) it has waited for a request head;
    /// 0 while its request is being served, or once it has been chosen to go.
    final class Slot: Sendable {
        let channel: any Channel
        let waitingSince = Atomic<UInt64>(0)

        init(channel: any Channel) {
            self.channel = channel
        }
    }

    private let capacity: Int
    private let open = Mutex([ObjectIdentifier: Slot]())
    /// Orders the moments connections start to wait; only ever compared, never a time.
    private let clock = Atomic<UInt64>(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Counts a new connection; beyond the cap, closes the one that has waited longest for its
    /// request head, or, when every other one is busy with a request, this new one.
    func opened(_ channel: any Channel) -> Slot {
        let slot = Slot(channel: channel)
        startsWaiting(slot)
        let shed: Slot? = open.withLock { open in
            open[ObjectIdentifier(channel)] = slot
            guard open.count > capacity else { return nil }
            var oldest = slot, oldestSince = UInt64.max
            for candidate in open.values {
                let since = candidate.waitingSince.load(ordering: .relaxed)
                if since != 0, since < oldestSince { (oldest, oldestSince) = (candidate, since) }
            }
            oldest.waitingSince.store(0, ordering: .relaxed)
            return oldest
        }
        shed?.channel.close(promise: nil)
        return slot
    }

    func headArrived(_ slot: Slot) {
        slot.waitingSince.store(0, ordering: .relaxed)
    }

    /// After a response, a keep-alive connection waits for its next head: from now on it counts
    /// as waiting again.
    func responded(_ slot: Slot) {
        startsWaiting(slot)
    }

    func closed(_ slot: Slot) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(slot.channel)) }
    }

    private func startsWaiting(_ slot: Slot) {
        slot.waitingSince.store(clock.wrappingAdd(1, ordering: .relaxed).newValue, ordering: .relaxed)
    }

    /// The handler each connection of one listener gets.
    func handler() -> Handler { Handler(shedding: self) }

    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let shedding: ConnectionShedding
        private var slot: Slot?

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
            if case .head = unwrapInboundIn(data), let slot { shedding.headArrived(slot) }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data), let slot { shedding.responded(slot) }
            context.write(data, promise: promise)
        }

        func channelInactive(context: ChannelHandlerContext) {
            close()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            close()
        }

        private func open(_ context: ChannelHandlerContext) {
            guard slot == nil else { return }
            slot = shedding.opened(context.channel)
        }

        private func close() {
            guard let slot else { return }
            self.slot = nil
            shedding.closed(slot)
        }
    }
}
