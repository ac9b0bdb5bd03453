import Dispatch
import Synchronization
import XCTest
@testable import Vault

/// The Argon2 gate's bounded queue: beyond it a codename check is refused at once, not queued.
final class Argon2GateTests: XCTestCase {
    func testWithEverySlotTakenAndTheQueueFullTryRunIsRefusedAtOnce() async throws {
        let gate = Argon2Gate(limit: 1, maxWaiting: 1)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holder = Task { await gate.run { started.signal(); release.wait(); return 1 } }
        await waitFor(started)

        // One of these two queues behind the holder, the other finds the queue full.
        let outcomes = Outcomes()
        let contenders = (2...3).map { value in
            Task {
                let outcome: Result<Int, VaultError>
                do throws(VaultError) { outcome = .success(try await gate.tryRun { value }) } catch { outcome = .failure(error) }
                outcomes.list.withLock { $0.append(outcome) }
            }
        }
        let refusedWhileHeld = try await eventually { outcomes.list.withLock { $0.count } == 1 }
        XCTAssertTrue(refusedWhileHeld, "the refusal comes while the slot is still held")
        XCTAssertEqual(outcomes.list.withLock { $0.first }, .failure(.busy))

        release.signal()
        let held = await holder.value
        XCTAssertEqual(held, 1)
        for contender in contenders { await contender.value }
        let results = outcomes.list.withLock { $0 }
        XCTAssertEqual(results.count, 2)
        XCTAssertTrue([Result<Int, VaultError>.success(2), .success(3)].contains(results[1]), "the queued one ran")
        let free = try await gate.tryRun { 4 }
        XCTAssertEqual(free, 4, "with the slot free again, tryRun runs")
    }

    func testWithNoQueueTryRunNeverWaits() async throws {
        let gate = Argon2Gate(limit: 2, maxWaiting: 0)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let holders = (0..<2).map { _ in Task { try await gate.tryRun { started.signal(); release.wait() } } }
        await waitFor(started)
        await waitFor(started)
        do throws(VaultError) {
            try await gate.tryRun {}
            XCTFail("both slots are held")
        } catch {
            XCTAssertEqual(error, .busy)
        }
        release.signal()
        release.signal()
        for holder in holders { try await holder.value }
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

    /// Waits for a signal from a gate's worker thread without blocking the cooperative pool.
    private func waitFor(_ semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }

    /// Polls `condition` for up to five seconds.
    private func eventually(_ condition: @escaping @Sendable () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
