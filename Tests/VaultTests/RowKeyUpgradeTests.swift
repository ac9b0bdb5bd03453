import XCTest
@testable import Vault

/// Schema step 6 moves step 5's secrets and receipts into rowid tables: every row arrives once,
/// also when a crash cut the move short, and keeps working: read, revealed, burned, swept.
final class RowKeyUpgradeTests: XCTestCase {
    private let secret = Array("written at step 5".utf8)

    func testAStep5DatabaseUpgradesAndEveryMovedRowIsReadRevealedAndSwept() async throws {
        let clock = ManualClock()
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let now = clock.vaultClock.now()
        let connection = try Step5Rows.database(at: configuration.databasePath)
        let plain = try Step5Rows.insert(secret, passphrase: nil, now: now, into: connection)
        let guarded = try Step5Rows.insert(secret, passphrase: "step 5 passphrase", now: now, into: connection)
        let burnable = try Step5Rows.insert(secret, passphrase: nil, now: now, into: connection)
        // More than two batches of the move, all ending within five minutes.
        let short = try (0..<(2 * RowKeyMove.rowsPerBatch + 5)).map { _ in
            try Step5Rows.insert(secret, passphrase: nil, now: now, ttl: 300, into: connection)
        }
        XCTAssertEqual(try Schema.storedVersion(connection), 5)

        let vault = try Vault(configuration: configuration, clock: clock.vaultClock)
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), 6)
        XCTAssertEqual(try tableNames(at: configuration.databasePath),
                       ["installation", "receipt", "receipt_v4", "reply", "secret", "secret_v4", "tip", "tip_chunk"])
        XCTAssertEqual(vault.statistics.stored, 3 + short.count, "every moved secret is counted")
        XCTAssertEqual(
            try countRows("SELECT count(*) FROM receipt", inDatabaseAt: configuration.databasePath), Int64(3 + short.count))

        try await assertOlderRowsStillWork(
            in: vault, holding: secret, plain: plain, guarded: guarded, passphrase: "step 5 passphrase", burnable: burnable)

        let created = try await vault.create(secret: Array("after the upgrade".utf8), passphrase: nil, ttl: nil)
        clock.advance(by: 3 * 3600)
        let swept = try await vault.sweep()
        XCTAssertEqual(swept, short.count, "the moved rows go at their sweep hours")
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: configuration.databasePath), 1)
        let late = try await vault.reveal(short[0].secret, passphrase: nil)
        XCTAssertEqual(late, .unavailable)
        let stillThere = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(stillThere, .revealed(Array("after the upgrade".utf8)))
    }

    /// The state a crash between two of the move's transactions leaves: version 5, a batch of
    /// each table already in the new tables, the rest still in the old ones.
    func testAMoveCutShortByACrashFinishesAtTheNextOpen() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let connection = try Step5Rows.database(at: configuration.databasePath)
        let now = ManualClock().vaultClock.now()
        let links = try (0..<(RowKeyMove.rowsPerBatch + 10)).map { index in
            try Step5Rows.insert(Array("secret \(index)".utf8), passphrase: nil, now: now, into: connection)
        }
        try connection.execute(RowKeyMove.secretTable)
        try connection.execute(RowKeyMove.receiptTable)
        try RowKeyMove.moveBatch(from: "secret", columns: ["salt", "header", "sealed", "sweep_hour"], in: connection)
        try RowKeyMove.moveBatch(from: "receipt", columns: ["payload", "outcome", "sweep_hour"], in: connection)
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: configuration.databasePath), 10)
        XCTAssertEqual(try Schema.storedVersion(connection), 5)

        let vault = try Vault(configuration: configuration, clock: ManualClock().vaultClock)
        XCTAssertEqual(vault.statistics.stored, links.count)
        for (index, link) in links.enumerated() {
            let receipt = try await vault.receipt(link.receipt)
            XCTAssertEqual(receipt?.secretToken, link.secret)
            let revealed = try await vault.reveal(link.secret, passphrase: nil)
            XCTAssertEqual(revealed, .revealed(Array("secret \(index)".utf8)))
        }
    }

    private func tableNames(at path: String) throws -> [String] {
        try SQLiteConnection(path: path).query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { if case .text(let name) = $0[0] { name } else { nil } }
    }
}
