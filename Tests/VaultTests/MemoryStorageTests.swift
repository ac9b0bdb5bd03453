import Glibc
import XCTest
@testable import Vault

/// `storage = memory`: the whole vault in the process's memory. Secrets and tips work as on
/// disk, reveals stay exactly-once, the quotas hold before the database's own bound does,
/// nothing reaches the data directory, and nothing outlives the vault.
final class MemoryStorageTests: XCTestCase {
    private let secret = Array("the documents are in locker 42".utf8)

    private func makeMemoryVault(configure: (inout VaultConfiguration) -> Void = { _ in }) throws -> Vault {
        try makeVault { configuration in
            configuration.durability = .memory
            configure(&configuration)
        }
    }

    func testCreateAndRevealOnceOnTheMigratedSchema() async throws {
        let vault = try makeMemoryVault()
        let version = try vault.store.runNow { try Schema.storedVersion($0) }
        XCTAssertEqual(version, Schema.version, "the migrations ran on the fresh database")
        let pragmas = try vault.store.runNow { connection in
            try ["journal_mode", "secure_delete", "synchronous"].map { try connection.query("PRAGMA \($0)").first?[0] }
        }
        XCTAssertEqual(pragmas, [.text("memory"), .integer(1), .integer(0)], "no WAL in memory, deletes overwritten, no sync")
        XCTAssertNil(vault.store.checkpointer)
        let created = try await vault.create(secret: secret, passphrase: "pw", ttl: 3600)
        let wrong = try await vault.reveal(created.secretToken, passphrase: "PW")
        XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: 4))
        let first = try await vault.reveal(created.secretToken, passphrase: "pw")
        XCTAssertEqual(first, .revealed(secret))
        let second = try await vault.reveal(created.secretToken, passphrase: "pw")
        XCTAssertEqual(second, .unavailable)
        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .received)
        let integrity = try await vault.integrityCheck()
        XCTAssertTrue(integrity)
    }

    func testConcurrentRevealsHaveExactlyOneWinner() async throws {
        let vault = try makeMemoryVault()
        let winners = try await winnersOfConcurrentReveals(in: vault)
        XCTAssertEqual(winners, Array(repeating: 1, count: 20))
    }

    func testNothingIsWrittenInTheDataDirectory() async throws {
        let vault = try makeMemoryVault()
        let directory = vault.configuration.directory
        for index in 0..<20 {
            let created = try await vault.create(secret: Array("secret \(index)".utf8), passphrase: nil, ttl: nil)
            if index.isMultiple(of: 2) { _ = try await vault.reveal(created.secretToken, passphrase: nil) }
        }
        let tip = try await storeTip(distinctiveBytes(3 * TipTable.chunkBytes).bytes, in: vault)
        let staging = try await vault.beginStaging()
        try await staging.append(Sodium.randomBytes(TipStaging.chunkBytes + 10))
        try await staging.seal()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
        XCTAssertEqual(filesOpen(beneath: directory), 0, "no descriptor, named or not, points into the folder")
        await staging.discard()
        let deleted = try await vault.deleteTip(tip.id)
        XCTAssertTrue(deleted)
        _ = try await vault.sweep()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testAVaultInMemoryIsGoneWithItsProcess() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var configuration = VaultConfiguration(directory: directory)
        configuration.durability = .memory
        var created: CreatedSecret?
        do {
            let vault = try Vault(configuration: configuration)
            created = try await vault.create(secret: secret, passphrase: nil, ttl: nil)
            _ = try await storeTip([1, 2, 3], in: vault)
        }
        let reopened = try Vault(configuration: configuration)
        XCTAssertEqual(reopened.statistics.stored, 0)
        XCTAssertEqual(reopened.statistics.storedTips, 0)
        let outcome = try await reopened.reveal(created!.secretToken, passphrase: nil)
        XCTAssertEqual(outcome, .unavailable, "as for a token that never existed")
    }

    func testTwoVaultsInOneProcessShareNothing() async throws {
        let first = try makeMemoryVault()
        let second = try makeMemoryVault()
        let created = try await first.create(secret: secret, passphrase: nil, ttl: nil)
        let elsewhere = try await second.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(elsewhere, .unavailable)
        XCTAssertEqual(second.statistics.stored, 0)
    }

    /// The count quota answers "full" before the database reaches the bound the quotas set it:
    /// the footprint's allowance per secret covers the smallest secrets' rows.
    func testTheCountQuotaHoldsBeforeTheDatabaseBound() async throws {
        let vault = try makeMemoryVault {
            $0.maxSecrets = 5000
            $0.maxStoredBytes = 5000 * (SealedPadding.secretClass(1) + Seal.overhead)
            $0.quotaReservePercent = 0
            ($0.maxTips, $0.maxStoredTipBytes, $0.maxStoredReplyBytes) = (0, 0, 0)
        }
        for _ in 0..<5000 { _ = try await vault.create(secret: [1], passphrase: nil, ttl: 3600) }
        do {
            _ = try await vault.create(secret: [1], passphrase: nil, ttl: 3600)
            XCTFail("over the count quota")
        } catch VaultError.full {}
    }

    /// The same for bytes: secrets as large as allowed fill the byte quota, not the database.
    func testTheByteQuotaHoldsBeforeTheDatabaseBound() async throws {
        let size = 64 * 1024
        let vault = try makeMemoryVault {
            $0.maxSecretBytes = size
            $0.maxStoredBytes = 40 * (SealedPadding.secretClass(size) + Seal.overhead)
            $0.quotaReservePercent = 0
            ($0.maxTips, $0.maxStoredTipBytes, $0.maxStoredReplyBytes) = (0, 0, 0)
        }
        for _ in 0..<40 { _ = try await vault.create(secret: Sodium.randomBytes(size), passphrase: nil, ttl: 3600) }
        do {
            _ = try await vault.create(secret: [1], passphrase: nil, ttl: 3600)
            XCTFail("over the byte quota")
        } catch VaultError.full {}
        XCTAssertEqual(vault.statistics.stored, 40)
    }

    /// The bound itself: a database in memory grows to its limit and then answers "full".
    func testTheDatabaseStopsAtItsBound() throws {
        let limit = 1024 * 1024
        let connection = try SQLiteConnection(inMemoryLimitedTo: limit)
        try connection.execute("CREATE TABLE filler (data BLOB)")
        var stored = 0
        do {
            while stored < 4 * limit {
                try connection.query("INSERT INTO filler VALUES (?)", [.blob(Sodium.randomBytes(16 * 1024))])
                stored += 16 * 1024
            }
            XCTFail("the database grew past its bound")
        } catch let error as StorageError {
            XCTAssertTrue(error.isFull, "\(error)")
        }
        XCTAssertGreaterThan(stored, limit / 2)
        XCTAssertLessThanOrEqual(stored, limit)
    }

    func testStagedBytesReadBackFromMemory() async throws {
        let vault = try makeMemoryVault { $0.maxStoredTipBytes = 3 * TipStaging.chunkBytes }
        let original = Sodium.randomBytes(2 * TipStaging.chunkBytes + 777)
        let staging = try await vault.beginStaging()
        try await appendAsABodyArrives(original, to: staging)
        do {
            try await staging.append(Sodium.randomBytes(TipStaging.chunkBytes))
            XCTFail("over the inbox quota")
        } catch VaultError.inboxFull {}
        try await staging.seal()
        var chunks: [[UInt8]] = []
        while let chunk = try await staging.chunk(chunks.count) { chunks.append(chunk) }
        XCTAssertEqual(chunks.map(\.count), [TipStaging.chunkBytes, TipStaging.chunkBytes, 777])
        XCTAssertTrue(sameBytes(Array(chunks.joined()), original))
        await staging.discard()
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    /// Descriptors of this process whose target lies in `directory`, unnamed files included.
    private func filesOpen(beneath directory: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)") else { return false }
            return target.hasPrefix(directory + "/")
        }.count
    }
}
