import XCTest
@testable import Vault

/// A database that release 4 left, with secrets and receipts in it, upgrades to step 5: its rows
/// stay where they were written and keep working until read or expired; new rows are sealed.
final class V4UpgradeTests: XCTestCase {
    private let secret = Array("written by release 4".utf8)

    func testAV4DatabaseWithRowsUpgradesAndEveryRowStillWorks() async throws {
        let clock = ManualClock()
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let now = clock.vaultClock.now()
        let connection = try olderDatabase(at: configuration.databasePath, version: 4)
        let plain = try V4Rows.insert(secret, passphrase: nil, now: now, into: connection)
        let guarded = try V4Rows.insert(secret, passphrase: "v4 passphrase", now: now, into: connection)
        let burnable = try V4Rows.insert(secret, passphrase: nil, now: now, into: connection)
        let short = try V4Rows.insert(secret, passphrase: nil, now: now, ttl: 300, into: connection)
        XCTAssertEqual(try Schema.storedVersion(connection), 4)

        let vault = try Vault(configuration: configuration, clock: clock.vaultClock)
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), Schema.version)
        XCTAssertEqual(vault.statistics.stored, 4, "v4's secrets are counted")

        try await assertOlderRowsStillWork(
            in: vault, holding: secret, plain: plain, guarded: guarded, passphrase: "v4 passphrase", burnable: burnable)

        let created = try await vault.create(secret: Array("after the upgrade".utf8), passphrase: nil, ttl: nil)
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: configuration.databasePath), 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret_v4", inDatabaseAt: configuration.databasePath), 1)

        clock.advance(by: 301)
        let expired = try await vault.receipt(short.receipt)
        XCTAssertEqual(expired?.state, .expired)
        let late = try await vault.reveal(short.secret, passphrase: nil)
        XCTAssertEqual(late, .unavailable)
        let swept = try await vault.sweep()
        XCTAssertEqual(swept, 1, "v4's expired secret goes at its minute, as before")
        clock.advance(by: 2 * 3600)
        try await vault.sweep()
        XCTAssertEqual(try countRows("SELECT count(*) FROM receipt_v4", inDatabaseAt: configuration.databasePath), 0)
        let stillThere = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(stillThere, .revealed(Array("after the upgrade".utf8)))
    }
}
