import NIOCore
import NIOEmbedded
import NIOSOCKS
import XCTest
@testable import Appliance

/// The client's patience on a connection, on NIO's embedded event loop whose clock the test
/// moves: a stalled answer or a proxy that never connects ends the exchange with its reason.
final class ReadDeadlineTests: XCTestCase {
    private func channel(proxyHandshake: TimeAmount?) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: ReadDeadlineHandler(idle: .seconds(60), proxyHandshake: proxyHandshake))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return channel
    }

    private func expiry(of channel: EmbeddedChannel) -> String? {
        do {
            try channel.throwIfErrorCaught()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testEachReadGivesTheAnswerAnotherIdlePeriod() throws {
        let channel = try channel(proxyHandshake: nil)
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(59))
            try channel.writeInbound(ByteBuffer(string: "more"))
        }
        XCTAssertNil(expiry(of: channel))
        XCTAssertTrue(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        XCTAssertEqual(expiry(of: channel), "no data for 60 seconds")
        XCTAssertFalse(channel.isActive, "a stalled connection is closed")
    }

    func testTheProxyHasItsOwnLimitUntilItConnects() throws {
        let waiting = try channel(proxyHandshake: .seconds(120))
        waiting.embeddedEventLoop.advanceTime(by: .seconds(119))
        XCTAssertNil(expiry(of: waiting))
        waiting.embeddedEventLoop.advanceTime(by: .seconds(1))
        XCTAssertEqual(expiry(of: waiting), "the SOCKS proxy did not connect to it within 120 seconds")

        let connected = try channel(proxyHandshake: .seconds(120))
        connected.embeddedEventLoop.advanceTime(by: .seconds(100))
        connected.pipeline.fireUserInboundEventTriggered(SOCKSProxyEstablishedEvent())
        connected.embeddedEventLoop.advanceTime(by: .seconds(59))
        XCTAssertNil(expiry(of: connected))
        connected.embeddedEventLoop.advanceTime(by: .seconds(1))
        XCTAssertEqual(expiry(of: connected), "no data for 60 seconds")
    }
}
