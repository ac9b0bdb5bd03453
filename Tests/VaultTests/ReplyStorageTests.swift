import XCTest
@testable import Vault

/// Replies stored under a mailbox, taken once, capped, and swept when nobody reads them.
final class ReplyStorageTests: XCTestCase {
    private func mailbox() -> MailboxID { MailboxID(bytes: Sodium.randomBytes(MailboxID.byteCount)) }

    func testRepliesComeBackOldestFirstOnceAndOnlyFromTheirMailbox() async throws {
        let vault = try makeVault()
        let box = mailbox(), other = mailbox()
        let replies = (1...3).map { _ in distinctiveBytes(1000 + Int.random(in: 0..<500)).bytes }
        for reply in replies { try await vault.storeReply(reply, for: box) }
        try await vault.storeReply([7, 7, 7], for: other)
        XCTAssertEqual(vault.statistics.storedReplies, 4)
        XCTAssertEqual(vault.statistics.storedReplyBytes, replies.map(\.count).reduce(3, +))

        let taken = try await vault.takeReplies(for: box)
        XCTAssertEqual(taken, replies)
        let again = try await vault.takeReplies(for: box)
        XCTAssertEqual(again, [], "read once")
        let unknown = try await vault.takeReplies(for: mailbox())
        XCTAssertEqual(unknown, [], "an unknown mailbox answers like an empty one")
        XCTAssertEqual(vault.statistics.storedReplies, 1)
        XCTAssertEqual(vault.statistics.storedReplyBytes, 3)
        let kept = try await vault.takeReplies(for: other)
        XCTAssertEqual(kept, [[7, 7, 7]])
    }

    func testOfFiftyConcurrentTakesExactlyOneGetsTheReplies() async throws {
        let vault = try makeVault()
        for round in 0..<4 {
            let box = mailbox()
            let replies = (0..<3).map { [UInt8(round), UInt8($0)] + Sodium.randomBytes(64) }
            for reply in replies { try await vault.storeReply(reply, for: box) }
            let outcomes = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
                for _ in 0..<50 { group.addTask { try await vault.takeReplies(for: box) } }
                return try await group.reduce(into: [[[UInt8]]]()) { $0.append($1) }
            }
            XCTAssertEqual(outcomes.count, 50)
            XCTAssertEqual(outcomes.filter { !$0.isEmpty }, [replies], "round \(round): one caller gets all, in order")
            XCTAssertEqual(outcomes.filter(\.isEmpty).count, 49, "round \(round)")
        }
        XCTAssertEqual(vault.statistics.storedReplies, 0)
        XCTAssertEqual(vault.statistics.storedReplyBytes, 0)
    }

    func testSizeMailboxAndQuotaLimitsRefuseWithoutStoring() async throws {
        let vault = try makeVault {
            $0.maxReplyBytes = 100
            $0.maxRepliesPerMailbox = 2
            $0.maxStoredReplyBytes = 250
        }
        let box = mailbox()
        await assertRefused(.emptyReply) { try await vault.storeReply([], for: box) }
        await assertRefused(.replyTooLarge(limit: 100)) { try await vault.storeReply(Array(repeating: 1, count: 101), for: box) }
        try await vault.storeReply(Array(repeating: 1, count: 100), for: box)
        try await vault.storeReply(Array(repeating: 2, count: 10), for: box)
        await assertRefused(.mailboxFull(limit: 2)) { try await vault.storeReply([3], for: box) }
        let second = mailbox()
        try await vault.storeReply(Array(repeating: 4, count: 100), for: second)
        await assertRefused(.repliesFull) { try await vault.storeReply(Array(repeating: 5, count: 41), for: second) }
        XCTAssertEqual(vault.statistics.storedReplies, 3)
        XCTAssertEqual(vault.statistics.storedReplyBytes, 210)

        let taken = try await vault.takeReplies(for: box)
        XCTAssertEqual(taken.map(\.count), [100, 10])
        try await vault.storeReply([6], for: box)  // room again, in the mailbox and in the quota
        try await vault.storeReply(Array(repeating: 5, count: 41), for: second)
        XCTAssertEqual(try countRows("SELECT count(*) FROM reply", inDatabaseAt: vault.configuration.databasePath), 3)
    }

    func testExpiredRepliesAreNeverHandedOutAndTheSweepDeletesThem() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let unread = mailbox(), late = mailbox()
        try await vault.storeReply([1, 2, 3], for: unread)
        try await vault.storeReply([4, 5], for: late)
        clock.advance(by: Int64(vault.configuration.replyTTL))
        let onTheLastDay = try await vault.takeReplies(for: late)
        XCTAssertEqual(onTheLastDay, [[4, 5]], "a reply lives at least its TTL")
        try await vault.storeReply([6], for: late)

        clock.advance(by: 86_400)
        let swept = try await vault.sweep()
        XCTAssertEqual(swept, 0, "sweep's answer counts secrets")
        XCTAssertEqual(try countRows("SELECT count(*) FROM reply", inDatabaseAt: vault.configuration.databasePath), 1)
        XCTAssertEqual(vault.statistics.storedReplies, 1)
        XCTAssertEqual(vault.statistics.storedReplyBytes, 1)
        let gone = try await vault.takeReplies(for: unread)
        XCTAssertEqual(gone, [])

        clock.advance(by: Int64(vault.configuration.replyTTL))
        let expiredBeforeTheSweep = try await vault.takeReplies(for: late)
        XCTAssertEqual(expiredBeforeTheSweep, [], "expired, though not swept yet")
        XCTAssertEqual(vault.statistics.storedReplies, 0, "the take deleted it all the same")
    }

    func testRepliesSurviveReopeningAndAreRecounted() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let box = mailbox()
        try await Vault(configuration: configuration).storeReply([9, 9], for: box)
        let reopened = try Vault(configuration: configuration)
        XCTAssertEqual(reopened.statistics.storedReplies, 1)
        XCTAssertEqual(reopened.statistics.storedReplyBytes, 2)
        let taken = try await reopened.takeReplies(for: box)
        XCTAssertEqual(taken, [[9, 9]])
    }

    private func assertRefused(
        _ expected: VaultError, _ operation: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line
    ) async {
        do {
            try await operation()
            XCTFail("not refused", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? VaultError, expected, file: file, line: line)
        }
    }
}
