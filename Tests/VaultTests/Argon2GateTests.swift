import Dispatch
import Synchronization
import XCTest
@testable import Vault

/// The Argon2 gate's bounded queue: beyond it a run is refused at once, not queued; a run that
/// waits too long, or whose task is cancelled while it waits, is refused without running.
final class Argon2GateTests: XCTestCase {
    func testWithEverySlotTakenAndTheQueueFullARunIsRefusedAtOnce() async throws {
        let gate = Argon2Gate(limit: 1, maxWaiting: 1, maxWait: .seconds(60))
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task { try await gate.run { started.signal(); release.wait(); return 1 } }
        await waitFor(started)

        // One of these two queues behind the holder, the other finds the queue full.
        let outcomes = Outcomes()
        let contenders = (2...3).map { value in
            Task {
                let outcome: Result<Int, VaultError>
                do throws(VaultError) { outcome = .success(try await gate.run { value }) } catch { outcome = .failure(error) }
                outcomes.list.withLock { $0.append(outcome) }
            }
        }
        let refusedWhileHeld = try await eventually { outcomes.list.withLock { $0.count } == 1 }
        XCTAssertTrue(refusedWhileHeld, "the refusal comes while the slot is still held")
        XCTAssertEqual(outcomes.list.withLock { $0.first }, .failure(.busy))

        release.signal()
        let held = try await holder.value
        XCTAssertEqual(held, 1)
        for contender in contenders { await contender.value }
        let results = outcomes.list.withLock { $0 }
        XCTAssertEqual(results.count, 2)
        XCTAssertTrue([Result<Int, VaultError>.success(2), .success(3)].contains(results[1]), "the queued one ran")
        let free = try await gate.run { 4 }
        XCTAssertEqual(free, 4, "with the slot free again, a run runs")
    }

    func testWithNoQueueARunNeverWaits() async throws {
        let gate = Argon2Gate(limit: 2, maxWaiting: 0, maxWait: .seconds(60))
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holders = (0..<2).map { _ in Task { try await gate.run { started.signal(); release.wait() } } }
        await waitFor(started)
        await waitFor(started)
        do throws(VaultError) {
            try await gate.run {}
            XCTFail("both slots are held")
        } catch {
            XCTAssertEqual(error, .busy)
        }
        release.signal()
        release.signal()
        for holder in holders { try await holder.value }
    }

    func testARunThatWaitsPastTheDeadlineIsRefusedWithoutRunning() async throws {
        let gate = Argon2Gate(limit: 1, maxWaiting: 4, maxWait: .milliseconds(200))
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task { try await gate.run { started.signal(); release.wait() } }
        await waitFor(started)
        let ran = Mutex(false)
        do throws(VaultError) {
            try await gate.run { ran.withLock { $0 = true } }
            XCTFail("the slot is held past the deadline")
        } catch {
            XCTAssertEqual(error, .busy)
        }
        release.signal()
        try await holder.value
        XCTAssertFalse(ran.withLock { $0 })
        try await gate.run {}
    }

    /// A client that goes away while its guess waits: the run leaves the queue, not to run later.
    func testACancelledWaiterLeavesTheQueueAtOnceWithoutRunning() async throws {
        let gate = Argon2Gate(limit: 1, maxWaiting: 1, maxWait: .seconds(60))
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task { try await gate.run { started.signal(); release.wait() } }
        await waitFor(started)
        let ran = Mutex(false), answered = Mutex<VaultError?>(nil)
        let waiter = Task {
            do throws(VaultError) { try await gate.run { ran.withLock { $0 = true } } } catch { answered.withLock { $0 = error } }
        }
        let queued = try await eventually { await gate.waitingRuns == 1 }
        XCTAssertTrue(queued)
        waiter.cancel()
        await waiter.value
        XCTAssertEqual(answered.withLock { $0 }, .busy, "refused while the slot is still held")
        let waitingAfter = await gate.waitingRuns
        XCTAssertEqual(waitingAfter, 0)
        release.signal()
        try await holder.value
        XCTAssertFalse(ran.withLock { $0 })
    }

    /// One party (a tor circuit) holds at most its share of places, running or waiting: its next
    /// run is refused at once while another party's still queues.
    func testAPartyBeyondItsShareIsRefusedAtOnceWhileOthersQueue() async throws {
        let gate = Argon2Gate(limit: 1, maxWaiting: 8, maxWait: .seconds(60), maxPerParty: 2)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task { try await Argon2Party.$current.withValue(7) { try await gate.run { started.signal(); release.wait() } } }
        await waitFor(started)
        let queued = Task { try await Argon2Party.$current.withValue(7) { try await gate.run {} } }
        let partyQueued = try await eventually { await gate.waitingRuns == 1 }
        XCTAssertTrue(partyQueued)
        do {
            try await Argon2Party.$current.withValue(7) { try await gate.run {} }
            XCTFail("the party holds its two places")
        } catch {
            XCTAssertEqual(error as? VaultError, .busy)
        }
        let other = Task { try await Argon2Party.$current.withValue(8) { try await gate.run {} } }
        let otherQueued = try await eventually { await gate.waitingRuns == 2 }
        XCTAssertTrue(otherQueued, "another party queues as before")
        release.signal()
        try await holder.value
        try await queued.value
        try await other.value
        try await Argon2Party.$current.withValue(7) { try await gate.run {} }
    }

    func testAFloodOfCodenameChecksGetsQuickBusyAnswersAndIsCounted() async throws {
        let vault = try makeVault {
            $0.argon2Concurrency = 1
            $0.argon2MaxWaiting = 0
        }
        let codename = Codename.generate()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        _ = try await vault.conversationKeys(for: codename)
                        return true
                    } catch {
                        XCTAssertEqual(error as? VaultError, .busy)
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        XCTAssertGreaterThanOrEqual(outcomes.filter { $0 }.count, 1, "the first check runs")
        let busy = outcomes.filter { !$0 }.count
        XCTAssertGreaterThanOrEqual(busy, 1, "checks that arrive while it runs are refused")
        XCTAssertEqual(vault.statistics.refusedBusy, busy)
    }

    /// What the contenders got, in the order they got it.
    private final class Outcomes: Sendable {
        let list = Mutex<[Result<Int, VaultError>]>([])
    }
}
