import XCTest
@testable import Vault

final class VaultTests: XCTestCase {
    private let secret = Array("the documents are in locker 42".utf8)

    func testRevealHappensOnceAndUpdatesTheReceipt() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: secret, passphrase: nil, ttl: 3600)
        XCTAssertEqual(created.receipt.state, .new)
        XCTAssertEqual(created.receipt.secretToken, created.secretToken)

        let preview = try await vault.preview(created.secretToken)
        XCTAssertEqual(preview?.passphraseRequired, false)
        let previewAgain = try await vault.preview(created.secretToken)
        XCTAssertNotNil(previewAgain, "previewing burns nothing")

        let first = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(first, .revealed(secret))
        let second = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(second, .unavailable)
        let preview2 = try await vault.preview(created.secretToken)
        XCTAssertNil(preview2)

        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .received)
        XCTAssertNil(receipt?.secretToken, "a read secret's link is gone from the receipt")
        XCTAssertEqual(vault.statistics.stored, 0)
        XCTAssertEqual(vault.statistics.revealed, 1)
    }

    func testUnknownTokensAreUnavailable() async throws {
        let vault = try makeVault()
        let outcome = try await vault.reveal(LinkToken.random(), passphrase: nil)
        XCTAssertEqual(outcome, .unavailable)
        let withPassphrase = try await vault.reveal(LinkToken.random(), passphrase: "guess")
        XCTAssertEqual(withPassphrase, .unavailable)
        let receipt = try await vault.receipt(LinkToken.random())
        XCTAssertNil(receipt)
        let created = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        let receiptTokenAsSecret = try await vault.reveal(created.receiptToken, passphrase: nil)
        XCTAssertEqual(receiptTokenAsSecret, .unavailable, "a receipt token does not open the secret")
    }

    func testPassphraseWrongAttemptsAreCountedThenTheSecretBurns() async throws {
        let vault = try makeVault { $0.maxPassphraseAttempts = 3 }
        let created = try await vault.create(secret: secret, passphrase: "open sesame", ttl: nil)
        XCTAssertTrue(created.receipt.passphraseRequired)
        let none = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(none, .wrongPassphrase(attemptsLeft: 3), "a missing passphrase is not counted")
        let wrong1 = try await vault.reveal(created.secretToken, passphrase: "open")
        XCTAssertEqual(wrong1, .wrongPassphrase(attemptsLeft: 2))
        let wrong2 = try await vault.reveal(created.secretToken, passphrase: "sesame")
        XCTAssertEqual(wrong2, .wrongPassphrase(attemptsLeft: 1))
        let wrong3 = try await vault.reveal(created.secretToken, passphrase: "open sesame!")
        XCTAssertEqual(wrong3, .unavailable, "the third wrong passphrase burns it")
        let right = try await vault.reveal(created.secretToken, passphrase: "open sesame")
        XCTAssertEqual(right, .unavailable)
        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .burned)
    }

    func testRightPassphraseReveals() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: secret, passphrase: "pw", ttl: nil)
        let wrong = try await vault.reveal(created.secretToken, passphrase: "PW")
        XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: 4))
        let right = try await vault.reveal(created.secretToken, passphrase: "pw")
        XCTAssertEqual(right, .revealed(secret))
    }

    func testConcurrentRevealsHaveExactlyOneWinner() async throws {
        let vault = try makeVault()
        let winners = try await winnersOfConcurrentReveals(in: vault)
        XCTAssertEqual(winners, Array(repeating: 1, count: 20))
    }

    func testExpiredSecretsAreUnreadableAtOnceAndSweptLater() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let created = try await vault.create(secret: secret, passphrase: nil, ttl: 300)
        clock.advance(by: 299)
        let stillThere = try await vault.preview(created.secretToken)
        XCTAssertNotNil(stillThere, "a secret lives at least its TTL")
        clock.advance(by: 61)
        let expiredPreview = try await vault.preview(created.secretToken)
        XCTAssertNil(expiredPreview, "and at most one minute longer")
        let outcome = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(outcome, .unavailable)
        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .expired)
        XCTAssertNil(receipt?.secretToken)

        let early = try await vault.sweep()
        XCTAssertEqual(early, 0, "the sweep waits for the row's sweep hour")
        XCTAssertEqual(vault.statistics.stored, 1, "unreadable, but not yet swept")

        clock.advance(by: 300)
        let forgotten = try await vault.receipt(created.receiptToken)
        XCTAssertNil(forgotten, "receipts are forgotten after twice the TTL, before their sweep")
        clock.advance(by: 2 * 3600)
        let swept = try await vault.sweep()
        XCTAssertEqual(swept, 1)
        XCTAssertEqual(vault.statistics.stored, 0)
        XCTAssertEqual(vault.statistics.expired, 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM receipt", inDatabaseAt: vault.configuration.databasePath), 0)
    }

    func testTTLIsClampedAndTimesAreWholeMinutes() async throws {
        let clock = ManualClock(1_800_000_037)
        let vault = try makeVault(clock: clock)
        let short = try await vault.create(secret: secret, passphrase: nil, ttl: 1)
        XCTAssertEqual(short.receipt.ttl, 300)
        let long = try await vault.create(secret: secret, passphrase: nil, ttl: 10_000_000_000)
        XCTAssertEqual(long.receipt.ttl, 30 * 86400)
        let standard = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        XCTAssertEqual(standard.receipt.ttl, 7 * 86400)
        XCTAssertEqual(standard.receipt.createdMinute, 1_800_000_037 / 60)
        XCTAssertEqual(standard.receipt.secretExpiresMinute, (1_800_000_037 + 7 * 86400 + 59) / 60)
    }

    func testBurnDestroysTheSecretUnread() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        let burned = try await vault.burn(receipt: created.receiptToken)
        XCTAssertEqual(burned?.state, .burned)
        let outcome = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(outcome, .unavailable)
        let again = try await vault.burn(receipt: created.receiptToken)
        XCTAssertEqual(again?.state, .burned, "burning twice is harmless")
        let unknown = try await vault.burn(receipt: LinkToken.random())
        XCTAssertNil(unknown)
        XCTAssertEqual(vault.statistics.stored, 0)
    }

    func testSenderCopyIsKeptOnlyUntilRead() async throws {
        let vault = try makeVault()
        let created = try await vault.create(secret: Array("Xk3pQ7mN2rTa".utf8), passphrase: nil, ttl: nil, keepSenderCopy: true)
        let before = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(before?.senderCopy, Array("Xk3pQ7mN2rTa".utf8))
        _ = try await vault.reveal(created.secretToken, passphrase: nil)
        let after = try await vault.receipt(created.receiptToken)
        XCTAssertNil(after?.senderCopy)
        let plain = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        let plainReceipt = try await vault.receipt(plain.receiptToken)
        XCTAssertNil(plainReceipt?.senderCopy)
    }

    func testLimitsAndQuota() async throws {
        let vault = try makeVault {
            $0.maxSecretBytes = 16
            $0.maxSecrets = 2
        }
        await assertThrows(VaultError.secretTooLarge(limit: 16)) {
            _ = try await vault.create(secret: Array(repeating: 1, count: 17), passphrase: nil, ttl: nil)
        }
        await assertThrows(VaultError.emptySecret) { _ = try await vault.create(secret: [], passphrase: nil, ttl: nil) }
        let first = try await vault.create(secret: [1], passphrase: nil, ttl: nil)
        _ = try await vault.create(secret: [2], passphrase: nil, ttl: nil)
        await assertThrows(VaultError.full) { _ = try await vault.create(secret: [3], passphrase: nil, ttl: nil) }
        XCTAssertEqual(vault.statistics.refusedFull, 1)
        _ = try await vault.reveal(first.secretToken, passphrase: nil)
        _ = try await vault.create(secret: [3], passphrase: nil, ttl: nil)
    }

    func testByteQuota() async throws {
        // Short-lived, so that the bytes bound, not the storage budget, is the one reached.
        let vault = try makeVault { $0.maxStoredBytes = 2 * (SealedPadding.secretClass(10) + Seal.overhead) }
        _ = try await vault.create(secret: Array(repeating: 7, count: 10), passphrase: nil, ttl: 300)
        _ = try await vault.create(secret: Array(repeating: 7, count: 10), passphrase: nil, ttl: 300)
        await assertThrows(VaultError.full) { _ = try await vault.create(secret: [1], passphrase: nil, ttl: 300) }
    }

    func testSecretsSurviveReopeningAndTheDatabaseIsIntact() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        var created: CreatedSecret?
        do {
            let vault = try Vault(configuration: configuration)
            created = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        }
        let reopened = try Vault(configuration: configuration)
        XCTAssertEqual(reopened.statistics.stored, 1, "totals are recounted on open")
        let integrity = try await reopened.integrityCheck()
        XCTAssertTrue(integrity)
        let outcome = try await reopened.reveal(created!.secretToken, passphrase: nil)
        XCTAssertEqual(outcome, .revealed(secret))
    }

    func testEphemeralStorageRefusesADiskBackedDirectory() throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var configuration = VaultConfiguration(directory: directory)
        configuration.durability = .ephemeral
        let onTmpfs = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8))?
            .split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == "/tmp" && $0.contains("tmpfs") } ?? false
        if onTmpfs {
            XCTAssertNoThrow(try Vault(configuration: configuration))
        } else {
            XCTAssertThrowsError(try Vault(configuration: configuration)) { error in
                XCTAssertEqual(error as? VaultError, .ephemeralNeedsRAMBackedDirectory(directory))
            }
        }
        let shm = try makeDirectory(under: "/dev/shm")
        defer { removeDirectory(shm) }
        configuration.directory = shm
        XCTAssertNoThrow(try Vault(configuration: configuration))
    }

    func testDamagedRowsOpenForNobodyAndNeverCrash() async throws {
        let vault = try makeVault()
        let tamper = try SQLiteConnection(path: vault.configuration.databasePath)
        // A salt of the wrong length once reached a precondition in Argon2 (found by fuzzing).
        let salted = try await vault.create(secret: secret, passphrase: "pw", ttl: nil)
        let saltedID = DerivedKeys(token: salted.secretToken, purpose: .secret).rowID
        try tamper.query("UPDATE secret SET salt = ? WHERE id = ?", [.blob([1, 2, 3]), RowKey.value(saltedID)])
        let wrongSalt = try await vault.reveal(salted.secretToken, passphrase: "pw")
        XCTAssertEqual(wrongSalt, .unavailable)

        let plain = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
        let plainID = DerivedKeys(token: plain.secretToken, purpose: .secret).rowID
        let receiptID = DerivedKeys(token: plain.receiptToken, purpose: .receipt).rowID
        try tamper.query("UPDATE receipt SET payload = ? WHERE id = ?", [.blob([0xFF]), RowKey.value(receiptID)])
        let receipt = try await vault.receipt(plain.receiptToken)
        XCTAssertNil(receipt, "a damaged receipt shows nothing rather than a wrong link")
        try tamper.query("UPDATE secret SET sealed = ? WHERE id = ?", [.blob(Array(repeating: 0, count: 64)), RowKey.value(plainID)])
        let damaged = try await vault.reveal(plain.secretToken, passphrase: nil)
        XCTAssertEqual(damaged, .unavailable)
    }

    private func makeDirectory(under parent: String) throws -> String {
        let path = parent + "/ashlink-test-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    private func assertThrows(_ expected: VaultError, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected \(expected)", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? VaultError, expected, file: file, line: line)
        }
    }
}
