import Hummingbird
import HTTPTypes
import NIOCore
import XCTest
@testable import Appliance

/// A short body is read whole within its limits, and refused when it trickles past its time.
final class BoundedBodyTests: XCTestCase {
    func testABodyWithinItsLimitsIsReadWhole() async throws {
        let body = try await BoundedBody.collect(request(pieces: ["secret=", "a", "b"], pause: .zero), upTo: 64)
        XCTAssertEqual(String(buffer: body), "secret=ab")
    }

    func testABodyOverItsSizeIsRefusedWith413() async throws {
        do {
            _ = try await BoundedBody.collect(request(pieces: ["0123456789", "0123456789"], pause: .zero), upTo: 15)
            XCTFail("over the limit")
        } catch let error as NIOTooManyBytesError {
            XCTAssertEqual(error.maxBytes, 15)
        }
    }

    /// One byte every 300 ms of a body whose limit allows 1 s in all: refused at the piece that
    /// arrives late, long before the body would end.
    func testATricklingBodyIsCutOffWith408() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await BoundedBody.collect(
                request(pieces: Array(repeating: "x", count: 40), pause: .milliseconds(300)), upTo: 1024, graceSeconds: 0)
            XCTFail("the body trickles past its time")
        } catch let error as HTTPError {
            XCTAssertEqual(error.status, .requestTimeout)
        }
        XCTAssertLessThan(clock.now - started, .seconds(6), "cut off before its 40 pieces (12 s) arrived")
    }

    private func request(pieces: [String], pause: Duration) -> Request {
        let stream = AsyncStream<ByteBuffer> { continuation in
            Task {
                for piece in pieces {
                    if pause > .zero { try? await Task.sleep(for: pause) }
                    continuation.yield(ByteBuffer(string: piece))
                }
                continuation.finish()
            }
        }
        return Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/share"),
            body: RequestBody(asyncSequence: stream))
    }
}
