import XCTest
@testable import Vault

/// The one clear time of a secret or receipt row is its sweep hour: coarse, drawn per row, and
/// never what decides whether a secret opens.
final class SweepHourTests: XCTestCase {
    func testSweepHoursAreTheEndRoundedUpToAnHourPlusZeroOrOneDrawnPerRow() async throws {
        let clock = ManualClock(1_800_000_000 + 1234)
        let vault = try makeVault(clock: clock)
        let ttl: Int64 = 5400
        for _ in 0..<64 { _ = try await vault.create(secret: Array("x".utf8), passphrase: nil, ttl: Int(ttl)) }
        let now = clock.vaultClock.now()
        let secretEnd = (now + ttl + 59) / 60 * 60, receiptEnd = (now + 2 * ttl + 59) / 60 * 60
        let secretHours = try hours("SELECT sweep_hour FROM secret", in: vault)
        let receiptHours = try hours("SELECT sweep_hour FROM receipt", in: vault)
        let firstSecretHour = SweepHour.roundedUp(secretEnd), firstReceiptHour = SweepHour.roundedUp(receiptEnd)
        XCTAssertEqual(Set(secretHours), [firstSecretHour, firstSecretHour + 1], "both draws occur among 64 rows")
        XCTAssertEqual(Set(receiptHours), [firstReceiptHour, firstReceiptHour + 1])
        XCTAssertGreaterThanOrEqual(firstSecretHour * 3600, secretEnd, "never swept before its end")
    }

    func testASecretPastItsExactEndButBeforeItsSweepHourOpensForNobody() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let plain = try await vault.create(secret: Array("plain".utf8), passphrase: nil, ttl: 300)
        let guarded = try await vault.create(secret: Array("guarded".utf8), passphrase: "pw", ttl: 300)
        clock.advance(by: 300)
        try await vault.sweep()
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: vault.configuration.databasePath), 2,
                       "their sweep hour has not come")
        let preview = try await vault.preview(plain.secretToken)
        XCTAssertNil(preview)
        let revealed = try await vault.reveal(plain.secretToken, passphrase: nil)
        XCTAssertEqual(revealed, .unavailable)
        let guessed = try await vault.reveal(guarded.secretToken, passphrase: "pw")
        XCTAssertEqual(guessed, .unavailable)
        let receipt = try await vault.receipt(plain.receiptToken)
        XCTAssertEqual(receipt?.state, .expired)
        XCTAssertNil(receipt?.secretToken)

        clock.advance(by: 2 * 3600)
        let swept = try await vault.sweep()
        XCTAssertEqual(swept, 2)
        XCTAssertEqual(vault.statistics.stored, 0)
    }

    func testAReadOrBurnedReceiptIsForgottenWithinTwoHours() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let read = try await vault.create(secret: Array("read".utf8), passphrase: nil, ttl: 30 * 86_400)
        let burned = try await vault.create(secret: Array("burned".utf8), passphrase: nil, ttl: 30 * 86_400)
        let unread = try await vault.create(secret: Array("unread".utf8), passphrase: nil, ttl: 30 * 86_400)
        clock.advance(by: 600)
        _ = try await vault.reveal(read.secretToken, passphrase: nil)
        _ = try await vault.burn(receipt: burned.receiptToken)
        let now = clock.vaultClock.now()

        let shown = try await vault.receipt(read.receiptToken)
        XCTAssertEqual(shown?.state, .received)
        XCTAssertEqual(shown?.updatedMinute, now / 60, "the minute it was read, from its sealed outcome")
        XCTAssertEqual(shown?.createdMinute, (now - 600) / 60)
        XCTAssertLessThanOrEqual(shown?.receiptExpiresMinute ?? .max, now / 60 + 120)
        let hours = try hours("SELECT sweep_hour FROM receipt", in: vault).sorted()
        XCTAssertLessThanOrEqual(hours[1], SweepHour.roundedUp(now) + 1, "both settled receipts are due within two hours")
        XCTAssertGreaterThan(hours[2], SweepHour.current(now) + 24 * 59, "the unread one keeps its end")

        clock.advance(by: 2 * 3600)
        try await vault.sweep()
        let forgottenRead = try await vault.receipt(read.receiptToken)
        let forgottenBurn = try await vault.receipt(burned.receiptToken)
        let kept = try await vault.receipt(unread.receiptToken)
        XCTAssertNil(forgottenRead)
        XCTAssertNil(forgottenBurn)
        XCTAssertEqual(kept?.state, .new)
        XCTAssertEqual(try countRows("SELECT count(*) FROM receipt", inDatabaseAt: vault.configuration.databasePath), 1)
    }

    func testAWrongGuessChangesNoClearColumn() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: Array("guarded".utf8), passphrase: "pw", ttl: nil)
        let clear = "SELECT id, salt, sweep_hour, length(header), sealed FROM secret"
        let before = try SQLiteConnection(path: vault.configuration.databasePath).query(clear).map { Array($0) }
        let wrong = try await vault.reveal(created.secretToken, passphrase: "wrong")
        XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: vault.configuration.maxPassphraseAttempts - 1))
        let after = try SQLiteConnection(path: vault.configuration.databasePath).query(clear).map { Array($0) }
        XCTAssertEqual(before, after, "the attempt is counted in the sealed header only")
    }

    private func hours(_ sql: String, in vault: Vault) throws -> [Int64] {
        try SQLiteConnection(path: vault.configuration.databasePath).query(sql).compactMap { $0[0].integer }
    }
}
