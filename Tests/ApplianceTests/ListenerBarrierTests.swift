import Synchronization
import XCTest

@testable import Appliance

/// The start-up barrier: confinement runs once, after the last listener is bound and before any
/// is let through; an abandoned start lets none through.
final class ListenerBarrierTests: XCTestCase {
    private final class Events: Sendable {
        let log = Mutex<[String]>([])
        func add(_ event: String) { log.withLock { $0.append(event) } }
        var all: [String] { log.withLock { $0 } }
    }

    func testOneListenerIsLetThroughAfterConfinement() async {
        let events = Events()
        let barrier = ListenerBarrier(listeners: 1) { events.add("confined") }
        let admitted = await barrier.arrive()
        XCTAssertEqual(admitted, .serve)
        XCTAssertEqual(events.all, ["confined"])
    }

    func testTheFirstListenerWaitsForTheSecondAndConfinementRunsOnce() async throws {
        let events = Events()
        let barrier = ListenerBarrier(listeners: 2) { events.add("confined") }
        let first = Task {
            let admitted = await barrier.arrive()
            events.add("first serves")
            return admitted
        }
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(events.all, [], "nothing runs before the second listener is bound")
        let second = await barrier.arrive()
        events.add("second serves")
        let firstAdmitted = await first.value
        XCTAssertEqual(second, .serve)
        XCTAssertEqual(firstAdmitted, .serve)
        XCTAssertEqual(events.all.first, "confined")
        XCTAssertEqual(events.all.filter { $0 == "confined" }.count, 1)
        XCTAssertEqual(Set(events.all.dropFirst()), ["first serves", "second serves"])
    }

    func testAListenerThatFailsToStartTurnsTheWaitingOneAwayWithItsReason() async throws {
        let events = Events()
        let barrier = ListenerBarrier(listeners: 2) { events.add("confined") }
        let first = Task { await barrier.arrive() }
        try await Task.sleep(for: .milliseconds(100))
        barrier.abandon("cannot serve on inbox_listen 127.0.0.1:8081: in use")
        let firstAdmitted = await first.value
        XCTAssertEqual(firstAdmitted, .refused("cannot serve on inbox_listen 127.0.0.1:8081: in use"))
        let late = await barrier.arrive()
        XCTAssertEqual(late, .refused("cannot serve on inbox_listen 127.0.0.1:8081: in use"), "bound after the failure")
        XCTAssertEqual(events.all, [])
    }

    func testACancelledWaitAbandonsTheStart() async throws {
        let events = Events()
        let barrier = ListenerBarrier(listeners: 2) { events.add("confined") }
        let first = Task { await barrier.arrive() }
        try await Task.sleep(for: .milliseconds(100))
        first.cancel()
        guard case .refused = await first.value else { return XCTFail("a cancelled start admitted a listener") }
        guard case .refused = await barrier.arrive() else { return XCTFail("the other listener was admitted") }
        XCTAssertEqual(events.all, [])
    }

    func testAListenerCancelledBeforeItArrivesAbandonsTheStart() async {
        let events = Events()
        let barrier = ListenerBarrier(listeners: 2) { events.add("confined") }
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await barrier.arrive()
        }
        guard case .refused = await cancelled.value else { return XCTFail("a cancelled listener was admitted") }
        guard case .refused = await barrier.arrive() else { return XCTFail("the other listener was admitted") }
        XCTAssertEqual(events.all, [])
    }

    func testAFailureAfterTheStartChangesNothing() async {
        let barrier = ListenerBarrier(listeners: 1) {}
        let admitted = await barrier.arrive()
        XCTAssertEqual(admitted, .serve)
        barrier.abandon("stopped later")
        guard case .refused = await barrier.arrive() else { return XCTFail("a listener arrived after the start") }
    }
}
