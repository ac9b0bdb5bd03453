import XCTest
@testable import Vault

/// Databases written by earlier releases open and upgrade; databases from later ones are refused.
final class MigrationTests: XCTestCase {
    private let secret = Array("written by the v1 release".utf8)

    /// The layout the first release created, exactly as it created it. Frozen here on purpose: if
    /// ``Schema``'s v1 step were ever edited, this test still describes the files on disk.
    private static let releasedV1Layout = [
        "PRAGMA auto_vacuum = INCREMENTAL",
        "PRAGMA journal_mode = WAL",
        """
        CREATE TABLE secret (
            id BLOB PRIMARY KEY NOT NULL,
            sealed BLOB NOT NULL,
            receipt_ref BLOB NOT NULL,
            salt BLOB,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            expires_minute INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX secret_expiry ON secret (expires_minute)",
        """
        CREATE TABLE receipt (
            id BLOB PRIMARY KEY NOT NULL,
            sealed_link BLOB,
            state INTEGER NOT NULL,
            passphrase_required INTEGER NOT NULL,
            ttl INTEGER NOT NULL,
            created_minute INTEGER NOT NULL,
            updated_minute INTEGER NOT NULL,
            secret_expires_minute INTEGER NOT NULL,
            expires_minute INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX receipt_expiry ON receipt (expires_minute)",
        "CREATE INDEX receipt_link_expiry ON receipt (secret_expires_minute) WHERE sealed_link IS NOT NULL",
        "PRAGMA user_version = 1",
    ]

    func testAV1DatabaseOpensAndItsSecretsRevealOnce() async throws {
        let clock = ManualClock()
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let (plain, guarded) = try writeV1Database(at: configuration.databasePath, now: clock.vaultClock.now())

        let vault = try Vault(configuration: configuration, clock: clock.vaultClock)
        XCTAssertEqual(vault.statistics.stored, 2, "totals are recounted from the v1 rows")
        let integrity = try await vault.integrityCheck()
        XCTAssertTrue(integrity)

        let receipt = try await vault.receipt(plain.receipt)
        XCTAssertEqual(receipt?.state, .new)
        XCTAssertEqual(receipt?.secretToken, plain.secret)
        XCTAssertEqual(receipt?.ttl, 3600)
        let preview = try await vault.preview(guarded.secret)
        XCTAssertEqual(preview?.passphraseRequired, true)

        let revealed = try await vault.reveal(plain.secret, passphrase: nil)
        XCTAssertEqual(revealed, .revealed(secret))
        let again = try await vault.reveal(plain.secret, passphrase: nil)
        XCTAssertEqual(again, .unavailable)
        let read = try await vault.receipt(plain.receipt)
        XCTAssertEqual(read?.state, .received)
        XCTAssertNil(read?.secretToken)

        let wrong = try await vault.reveal(guarded.secret, passphrase: "not it")
        XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: configuration.maxPassphraseAttempts - 1))
        let right = try await vault.reveal(guarded.secret, passphrase: "v1 passphrase")
        XCTAssertEqual(right, .revealed(secret))
    }

    func testAnUpgradedV1DatabaseHasTheLayoutOfANewOne() async throws {
        let upgraded = try makeTemporaryDirectory(), fresh = try makeTemporaryDirectory()
        defer { removeDirectory(upgraded); removeDirectory(fresh) }
        let upgradedPath = VaultConfiguration(directory: upgraded).databasePath
        _ = try writeV1Database(at: upgradedPath, now: ManualClock().vaultClock.now())
        _ = try Vault(configuration: VaultConfiguration(directory: upgraded))
        _ = try Vault(configuration: VaultConfiguration(directory: fresh))

        let freshLayout = try layout(of: VaultConfiguration(directory: fresh).databasePath)
        XCTAssertEqual(try layout(of: upgradedPath), freshLayout)
        XCTAssertEqual(freshLayout.version, Schema.version)
        XCTAssertEqual(freshLayout.autoVacuum, 2, "incremental, which must be set before the first table")
    }

    func testAV1DatabaseGainsTheTipAndConversationTablesAndKeepsItsSecrets() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let (plain, _) = try writeV1Database(at: configuration.databasePath, now: ManualClock().vaultClock.now())
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), 1)

        let vault = try Vault(configuration: configuration, clock: ManualClock().vaultClock)
        let tables = try SQLiteConnection(path: configuration.databasePath)
            .query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { $0[0] }
        XCTAssertEqual(
            tables,
            ["installation", "receipt", "receipt_v4", "reply", "secret", "secret_v4", "tip", "tip_chunk"].map(SQLValue.text))
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), Schema.version)
        XCTAssertEqual(vault.statistics.stored, 2)
        XCTAssertEqual(vault.statistics.storedTips, 0)

        let tip = try await storeTip(Array("after the upgrade".utf8), in: vault)
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [tip])
        let mailbox = MailboxID(bytes: Sodium.randomBytes(MailboxID.byteCount))
        try await vault.storeReply(Array("a reply after the upgrade".utf8), for: mailbox)
        let replies = try await vault.takeReplies(for: mailbox)
        XCTAssertEqual(replies, [Array("a reply after the upgrade".utf8)])
        let revealed = try await vault.reveal(plain.secret, passphrase: nil)
        XCTAssertEqual(revealed, .revealed(secret))
    }

    func testADatabaseNewerThanThisReleaseIsRefusedAndLeftAlone() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        _ = try Vault(configuration: configuration)
        let newer = Schema.version + 1
        try SQLiteConnection(path: configuration.databasePath).execute("PRAGMA user_version = \(newer)")

        XCTAssertThrowsError(try Vault(configuration: configuration)) { error in
            guard case .storage(let message) = error as? VaultError else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(message.contains("schema version is \(newer)"), message)
        }
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), newer)
    }

    // MARK: Helpers

    /// A v1 file holding two secrets, one with a passphrase, each row written as the v1 release
    /// wrote it: its statements, its sealing, its derivations.
    private func writeV1Database(at path: String, now: Int64) throws -> (plain: V4Rows.Links, guarded: V4Rows.Links) {
        let connection = try SQLiteConnection(path: path)
        for statement in Self.releasedV1Layout { try connection.query(statement) }
        let plain = try V4Rows.insert(secret, passphrase: nil, now: now, into: connection)
        let guarded = try V4Rows.insert(secret, passphrase: "v1 passphrase", now: now, into: connection)
        return (plain, guarded)
    }

    private struct Layout: Equatable {
        let objects: [[SQLValue]]
        let version: Int64
        let autoVacuum: Int64?
    }

    private func layout(of path: String) throws -> Layout {
        let connection = try SQLiteConnection(path: path)
        let objects = try connection.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").map { Array($0) }
        return Layout(
            objects: objects, version: try Schema.storedVersion(connection),
            autoVacuum: try connection.query("PRAGMA auto_vacuum").first?.integer("auto_vacuum"))
    }
}
