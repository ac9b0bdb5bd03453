import XCTest
@testable import Vault

/// The sweep reads `secret` and `receipt` a slice of keys at a time, once an hour
/// (docs/decisions/0028-sweep-without-indexes.md): every key lies in exactly one slice, and every
/// due row goes, wherever its key lies.
final class SlicedSweepTests: XCTestCase {
    func testTheSlicesCoverEveryKeyOnceInOrder() {
        for count in [1, 2, 3, 7, 256] {
            let slices = RowKey.slices(count)
            XCTAssertEqual(slices.count, count)
            XCTAssertEqual(slices.first?.lowerBound, 0)
            XCTAssertEqual(slices.last?.upperBound, Int64.max)
            for (before, after) in zip(slices, slices.dropFirst()) {
                XCTAssertEqual(before.upperBound + 1, after.lowerBound, "no key between two slices, none in both")
            }
        }
    }

    func testEveryDueRowGoesWhereverItsKeyLiesAndNoOtherDoes() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let path = vault.configuration.databasePath
        let nowHour = SweepHour.current(clock.vaultClock.now())
        let edges = RowKey.slices(Vault.sweepSlices).flatMap { [$0.lowerBound, $0.upperBound] }
        let connection = try SQLiteConnection(path: path)
        for (index, key) in edges.enumerated() {
            // Every other row is due this hour; the rest a day later.
            let hour = index.isMultiple(of: 2) ? nowHour : nowHour + 24
            try connection.query("INSERT INTO secret (id, salt, header, sealed, sweep_hour) VALUES (?, x'00', x'00', x'00', ?)",
                                 [.integer(key), .integer(hour)])
            try connection.query("INSERT INTO receipt (id, payload, outcome, sweep_hour) VALUES (?, x'00', x'00', ?)",
                                 [.integer(key), .integer(hour)])
        }
        try await vault.sweep()
        for table in ["secret", "receipt"] {
            XCTAssertEqual(try countRows("SELECT count(*) FROM \(table) WHERE sweep_hour <= \(nowHour)", inDatabaseAt: path), 0, table)
            XCTAssertEqual(try countRows("SELECT count(*) FROM \(table)", inDatabaseAt: path), Int64(edges.count / 2), table)
        }
        clock.advance(by: 24 * 3600)
        try await vault.sweep()
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: path), 0, "a day later the rest are due")
        XCTAssertEqual(try countRows("SELECT count(*) FROM receipt", inDatabaseAt: path), 0)
    }

    func testNeitherTableHasAnIndexThatACreateWouldWrite() async throws {
        let vault = try makeVault()
        _ = try await vault.create(secret: Array("x".utf8), passphrase: nil, ttl: 300)
        XCTAssertEqual(try countRows(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('secret', 'receipt')",
            inDatabaseAt: vault.configuration.databasePath), 0)
    }
}
