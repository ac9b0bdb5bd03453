import NIOCore
import NIOEmbedded
import XCTest
@testable import Appliance

/// The PROXY line in front of the HTTP decoder: held back until complete, its circuit recorded,
/// what follows passed on intact, anything else closed without a byte of answer.
final class ProxyHeaderHandlerTests: XCTestCase {
    private func connection(_ connections: CircuitConnections = CircuitConnections(perCircuit: 16)) throws -> (EmbeddedChannel, ConnectionCircuit) {
        let circuit = ConnectionCircuit()
        let channel = EmbeddedChannel(handler: ProxyHeaderHandler(circuit: circuit, connections: connections))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return (channel, circuit)
    }

    private func received(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let part = try channel.readInbound(as: ByteBuffer.self) { text += String(buffer: part) }
        return text
    }

    func testALineSplitAcrossReadsIsHeldBackThenWhatFollowsPassesIntact() throws {
        let (channel, circuit) = try connection()
        for piece in ["PRO", "XY TCP6 fc00:dead:beef:4dad::1:2 ::1 ", "2 80\r"] {
            try channel.writeInbound(ByteBuffer(string: piece))
            XCTAssertEqual(try received(channel), "", "nothing passes before the line is complete")
        }
        try channel.writeInbound(ByteBuffer(string: "\nPOST /share HTTP/1.1\r\n"))
        XCTAssertEqual(try received(channel), "POST /share HTTP/1.1\r\n")
        XCTAssertEqual(circuit.value, .circuit(0x0001_0002))
        try channel.writeInbound(ByteBuffer(string: "PROXY TCP6 fc00:dead:beef:4dad::9:9 ::1 2 80\r\n"))
        XCTAssertEqual(try received(channel), "PROXY TCP6 fc00:dead:beef:4dad::9:9 ::1 2 80\r\n",
                       "after the first line the handler is gone: a second one is the request's business")
        XCTAssertEqual(circuit.value, .circuit(0x0001_0002))
        XCTAssertTrue(channel.isActive)
    }

    func testAConnectionWithoutTheLineIsClosedWithoutAnAnswer() throws {
        for start in ["GET / HTTP/1.1\r\nHost: x\r\n\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", String(repeating: "PROXY UNKNOWN ", count: 8)] {
            let (channel, circuit) = try connection()
            _ = try? channel.writeInbound(ByteBuffer(string: start))
            XCTAssertFalse(channel.isActive, start.debugDescription)
            XCTAssertEqual(try received(channel), "")
            XCTAssertNil(try channel.readOutbound(as: ByteBuffer.self), "not a byte of answer")
            XCTAssertEqual(circuit.value, .unidentified)
        }
    }

    func testUnknownLeavesTheConnectionWithoutACircuit() throws {
        let (channel, circuit) = try connection()
        try channel.writeInbound(ByteBuffer(string: "PROXY UNKNOWN\r\nGET"))
        XCTAssertEqual(try received(channel), "GET")
        XCTAssertEqual(circuit.value, .unidentified)
    }

    func testACircuitHoldsAtMostItsShareOfConnectionsAndTheTableEmptiesAsTheyClose() throws {
        let connections = CircuitConnections(perCircuit: 2)
        func open(_ circuit: String) throws -> EmbeddedChannel {
            let (channel, _) = try connection(connections)
            _ = try? channel.writeInbound(ByteBuffer(string: "PROXY TCP6 fc00:dead:beef:4dad::0:\(circuit) ::1 1 80\r\n"))
            return channel
        }
        let first = try open("a"), second = try open("a")
        XCTAssertTrue(first.isActive && second.isActive)
        let third = try open("a")
        XCTAssertFalse(third.isActive, "the circuit's third connection is closed")
        let other = try open("b")
        XCTAssertTrue(other.isActive, "another circuit has its own share")
        XCTAssertEqual(connections.circuits, 2)

        try first.close().wait()
        first.embeddedEventLoop.run()
        let again = try open("a")
        XCTAssertTrue(again.isActive, "a closed connection gives its place back")
        for channel in [second, again, other] {
            try channel.close().wait()
            channel.embeddedEventLoop.run()
        }
        XCTAssertEqual(connections.circuits, 0, "no entry outlives its circuit's connections")
    }
}
