import Synchronization
import XCTest
@testable import Vault

/// Secret and receipt rows keyed by ``RowKey``: small secrets take no overflow page, a create
/// that meets a taken key draws other tokens, and a row under a key opens only for its own token.
final class RowKeyTests: XCTestCase {
    func testTheKeyIsTheRowIDsFirst63BitsBigEndian() {
        let rowID = [0xFF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07] + [UInt8](repeating: 0xAA, count: 24)
        XCTAssertEqual(RowKey.of(rowID), 0x7F01_0203_0405_0607)
        XCTAssertEqual(RowKey.of([UInt8](repeating: 0, count: 32)), 0)
    }

    /// A row of a small secret fits its leaf page: the file is no more than half again as large
    /// as the bytes of its rows (step 5's tables took an overflow page of 4 KiB per secret).
    func testSmallSecretsTakeNoOverflowPages() async throws {
        let vault = try makeVault()
        for _ in 0..<2000 {
            _ = try await vault.create(secret: [0x61], passphrase: nil, ttl: nil)
        }
        let path = vault.configuration.databasePath
        let rowBytes = try countRows(
            "SELECT sum(length(salt) + length(header) + length(sealed) + 16) FROM secret", inDatabaseAt: path)
            + countRows("SELECT sum(length(payload) + length(outcome) + 16) FROM receipt", inDatabaseAt: path)
        let connection = try SQLiteConnection(path: path)
        try connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
        let pages = try countRows("PRAGMA page_count", inDatabaseAt: path)
            - countRows("PRAGMA freelist_count", inDatabaseAt: path)
        let fileBytes = try pages * countRows("PRAGMA page_size", inDatabaseAt: path)
        XCTAssertLessThanOrEqual(Double(fileBytes), 1.5 * Double(rowBytes), "\(pages) pages for \(rowBytes) bytes of rows")
    }

    func testACreateWhoseRowKeyIsTakenDrawsOtherTokensAndWritesNothingForTheFirst() async throws {
        let vault = try makeVault()
        let (a, b, c, d, e, f, g, h) = (
            LinkToken.random(), LinkToken.random(), LinkToken.random(), LinkToken.random(),
            LinkToken.random(), LinkToken.random(), LinkToken.random(), LinkToken.random())
        // The second create's secret key is the first's; the third's receipt key is the first's.
        let draws = TokenDraws([a, b, a, c, d, e, f, b, g, h])
        let first = try await Vault.$drawToken.withValue(draws.next) {
            try await vault.create(secret: Array("first".utf8), passphrase: nil, ttl: nil)
        }
        let second = try await Vault.$drawToken.withValue(draws.next) {
            try await vault.create(secret: Array("second".utf8), passphrase: "pw", ttl: nil)
        }
        let third = try await Vault.$drawToken.withValue(draws.next) {
            try await vault.create(secret: Array("third".utf8), passphrase: nil, ttl: nil)
        }
        XCTAssertEqual([second.secretToken, second.receiptToken, third.secretToken, third.receiptToken], [d, e, g, h])
        let path = vault.configuration.databasePath
        XCTAssertEqual(
            try countRows("SELECT count(*) FROM secret", inDatabaseAt: path), 3, "no row for a pair that met a taken key")
        XCTAssertEqual(try countRows("SELECT count(*) FROM receipt", inDatabaseAt: path), 3)
        XCTAssertEqual(vault.statistics.stored, 3)
        let unused = try await vault.receipt(c)
        XCTAssertNil(unused)
        let firstRevealed = try await vault.reveal(first.secretToken, passphrase: nil)
        XCTAssertEqual(firstRevealed, .revealed(Array("first".utf8)))
        let secondRevealed = try await vault.reveal(second.secretToken, passphrase: "pw")
        XCTAssertEqual(secondRevealed, .revealed(Array("second".utf8)))
        let thirdReceipt = try await vault.receipt(third.receiptToken)
        XCTAssertEqual(thirdReceipt?.secretToken, g)
    }

    func testACreateThatMeetsTakenKeysAtEveryDrawFailsAndChargesNothing() async throws {
        let vault = try makeVault()
        let taken = (LinkToken.random(), LinkToken.random())
        _ = try await Vault.$drawToken.withValue(TokenDraws([taken.0, taken.1]).next) {
            try await vault.create(secret: Array("first".utf8), passphrase: nil, ttl: nil)
        }
        let usage = vault.storageUsage
        do {
            _ = try await Vault.$drawToken.withValue({ taken.0 }) {
                try await vault.create(secret: Array("never stored".utf8), passphrase: nil, ttl: nil)
            }
            XCTFail("a create with no free key succeeded")
        } catch VaultError.storage(let message) {
            XCTAssertTrue(message.contains("row key already taken"), message)
        }
        XCTAssertEqual(vault.storageUsage, usage, "the room reserved for it is given back")
        XCTAssertEqual(vault.statistics.stored, 1)
    }

    /// A row found under a token's key but sealed for another token (what a key shared by two
    /// row ids would find) is "not found" for it, and is left alone.
    func testARowUnderAnotherTokensKeyIsNotFoundAndStays() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: Array("mine".utf8), passphrase: nil, ttl: nil)
        let stranger = LinkToken.random()
        let strangerKey = RowKey.of(DerivedKeys(token: stranger, purpose: .secret).rowID)
        try SQLiteConnection(path: vault.configuration.databasePath).query(
            "UPDATE secret SET id = ?", [.integer(strangerKey)])
        let preview = try await vault.preview(stranger)
        XCTAssertNil(preview)
        let revealed = try await vault.reveal(stranger, passphrase: nil)
        XCTAssertEqual(revealed, .unavailable)
        XCTAssertEqual(try countRows("SELECT count(*) FROM secret", inDatabaseAt: vault.configuration.databasePath), 1)
        let own = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(own, .unavailable, "moved away from its own key, the row is found by nobody")
    }
}

/// Hands out the given tokens in order, one per draw.
private final class TokenDraws: Sendable {
    private let tokens: Mutex<[LinkToken]>

    init(_ tokens: [LinkToken]) {
        self.tokens = Mutex(tokens)
    }

    var next: @Sendable () -> LinkToken {
        { self.tokens.withLock { $0.removeFirst() } }
    }
}
