import XCTest
@testable import Appliance

/// The create buckets: a circuit that drains its own is refused while others still create, the
/// global bucket stays the outer bound, and the table of circuits does not grow with them.
/// (Refills are slow at these rates: 6 per minute is one token every 10 s.)
final class CreateRateLimiterTests: XCTestCase {
    func testAFloodingCircuitRunsDryAloneWithoutSpendingTheGlobalBucket() {
        let limiter = CreateRateLimiter(perMinute: 60, perCircuitPerMinute: 6)  // bursts: 10 global, 1 per circuit
        XCTAssertTrue(limiter.tryAcquire(for: .circuit(1)))
        for _ in 0..<50 { XCTAssertFalse(limiter.tryAcquire(for: .circuit(1))) }
        for circuit in 2...10 {
            XCTAssertTrue(limiter.tryAcquire(for: .circuit(UInt32(circuit))), "circuit \(circuit)")
        }
        XCTAssertFalse(limiter.tryAcquire(for: .circuit(11)), "the global bucket is the outer bound")
        XCTAssertFalse(limiter.tryAcquire(for: .unidentified))
    }

    func testConnectionsWithoutACircuitShareOnlyTheGlobalBucket() {
        let limiter = CreateRateLimiter(perMinute: 60, perCircuitPerMinute: 6)
        for _ in 0..<10 { XCTAssertTrue(limiter.tryAcquire(for: .unidentified)) }
        XCTAssertFalse(limiter.tryAcquire(for: .unidentified))
        XCTAssertEqual(limiter.circuitsTracked, 0)
    }

    func testOnlyCircuitsTheGlobalBucketLetThroughAreKept() {
        let limiter = CreateRateLimiter(perMinute: 60, perCircuitPerMinute: 6)
        for circuit in 0..<1000 { _ = limiter.tryAcquire(for: .circuit(UInt32(circuit))) }
        XCTAssertEqual(limiter.circuitsTracked, 10, "a thousand circuits asked, ten got through, ten are kept")
    }
}
