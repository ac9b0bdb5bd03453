import XCTest
@testable import Vault

/// The quota by size × lifetime (docs/decisions/0022), on a real SQLite file.
final class StorageBudgetTests: XCTestCase {
    private let large = [UInt8](repeating: 0x4c, count: 64 * 1024)
    private let month = 30 * 24 * 3600

    /// 64 MiB held for a day: about thirty 64 KiB secrets of 30 days fill the share open to them.
    private func floodableVault(_ clock: ManualClock) throws -> Vault {
        try makeVault(clock: clock) { $0.maxStoredBytes = 64 * 1024 * 1024 }
    }

    private func isFull(_ create: () async throws -> CreatedSecret) async throws -> Bool {
        do {
            _ = try await create()
            return false
        } catch VaultError.full {
            return true
        }
    }

    /// Creates large month-long secrets until the vault refuses one; answers how many it took.
    private func flood(_ vault: Vault) async throws -> Int {
        var stored = 0
        while stored < 2000, !(try await isFull { try await vault.create(secret: self.large, passphrase: nil, ttl: self.month) }) {
            stored += 1
        }
        return stored
    }

    func testAFloodOfLongLivedLargeSecretsLeavesRoomForShortSmallOnes() async throws {
        let vault = try floodableVault(ManualClock())
        let flooded = try await flood(vault)
        let usage = vault.storageUsage
        XCTAssertLessThan(flooded, 64, "the budget, not the byte quota, stopped the flood")
        XCTAssertLessThan(usage.secretBytes, vault.configuration.maxStoredBytes / 10)
        XCTAssertGreaterThan(usage.budgetUsedPercent, 85)
        XCTAssertLessThanOrEqual(usage.budgetUsedPercent, 90, "the reserve is left to short small secrets")
        for _ in 0..<50 {
            let refused = try await isFull { try await vault.create(secret: self.large, passphrase: nil, ttl: self.month) }
            XCTAssertTrue(refused, "the spam goes on being refused")
        }
        let small = try await vault.create(secret: Array("a password for the next hour".utf8), passphrase: nil, ttl: 3600)
        let largestReserved = [UInt8](repeating: 7, count: 4096 - Seal.overhead)
        _ = try await vault.create(secret: largestReserved, passphrase: nil, ttl: 3600)
        let outcome = try await vault.reveal(small.secretToken, passphrase: nil)
        XCTAssertEqual(outcome, .revealed(Array("a password for the next hour".utf8)))
    }

    func testTheCountReserveIsKeptForShortSmallSecrets() async throws {
        let vault = try makeVault { $0.maxSecrets = 20 }
        for index in 0..<18 { _ = try await vault.create(secret: [UInt8(index)], passphrase: nil, ttl: month) }
        let nineteenth = try await isFull { try await vault.create(secret: [19], passphrase: nil, ttl: self.month) }
        XCTAssertTrue(nineteenth, "10% of the count is not for month-long secrets")
        let big = try await isFull { try await vault.create(secret: [UInt8](repeating: 1, count: 8192), passphrase: nil, ttl: 600) }
        XCTAssertTrue(big, "nor for short large ones")
        _ = try await vault.create(secret: [20], passphrase: nil, ttl: 3600)
        _ = try await vault.create(secret: [21], passphrase: nil, ttl: 300)
        let twentyFirst = try await isFull { try await vault.create(secret: [22], passphrase: nil, ttl: 300) }
        XCTAssertTrue(twentyFirst, "the reserve is part of the quota, not beyond it")
    }

    func testAFloodsHoldShrinksByTheDay() async throws {
        let clock = ManualClock()
        let vault = try floodableVault(clock)
        _ = try await flood(vault)
        let usedAtOnce = vault.storageUsage.budgetUsed
        clock.advance(by: 24 * 3600)
        XCTAssertLessThan(vault.storageUsage.budgetUsed, usedAtOnce - usedAtOnce / 31, "a day off each secret's remaining month")
        _ = try await vault.create(secret: large, passphrase: nil, ttl: month)
    }

    func testReceiptsHaveABoundOfTheirOwn() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock) { $0.maxReceipts = 3 }
        for _ in 0..<3 {
            let created = try await vault.create(secret: [1], passphrase: nil, ttl: 300)
            _ = try await vault.reveal(created.secretToken, passphrase: nil)
        }
        XCTAssertEqual(vault.storageUsage.secrets, 0)
        XCTAssertEqual(vault.storageUsage.receipts, 3, "a read secret's receipt stays")
        let refused = try await isFull { try await vault.create(secret: [2], passphrase: nil, ttl: 300) }
        XCTAssertTrue(refused)
        // A settled receipt goes at its sweep hour, within two hours (``SweepHour``).
        clock.advance(by: 3 * 3600)
        try await vault.sweep()
        XCTAssertEqual(vault.storageUsage.receipts, 0)
        _ = try await vault.create(secret: [2], passphrase: nil, ttl: 300)
    }

    func testTotalsAreTheSameAfterReopeningAndForAReader() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let clock = ManualClock()
        let configuration = VaultConfiguration(directory: directory)
        let kept: StorageLedger
        do {
            let vault = try Vault(configuration: configuration, clock: clock.vaultClock)
            var created: [CreatedSecret] = []
            for (size, ttl) in [(10, 300), (3000, 3600), (40_000, 86400), (65_000, month), (1, 600), (500, 7 * 86400)] {
                created.append(try await vault.create(secret: [UInt8](repeating: 9, count: size), passphrase: nil, ttl: ttl))
            }
            _ = try await vault.create(secret: [5], passphrase: "a passphrase", ttl: 3600)
            _ = try await vault.reveal(created[2].secretToken, passphrase: nil)
            _ = try await vault.burn(receipt: created[3].receiptToken)
            // Past every sweep hour of the hour-long secrets (the receipts' depend on the draw).
            clock.advance(by: 3 * 3600 + 13)
            try await vault.sweep()
            clock.advance(by: 95)
            _ = try await vault.create(secret: [UInt8](repeating: 3, count: 2000), passphrase: nil, ttl: 1800)
            XCTAssertEqual(vault.storageUsage.secrets, 2, "the week-long secret and the new one")
            let census = try VaultCensus.read(configuration, clock: clock.vaultClock)
            XCTAssertEqual(census.storage, vault.storageUsage, "a reader beside the open vault counts the same")
            _ = try await vault.create(secret: [8], passphrase: nil, ttl: 300)
            _ = try await vault.burn(receipt: created[4].receiptToken)
            kept = vault.ledger.withLock { ledger in
                ledger.advance(to: Vault.minute(clock.vaultClock.now()))
                return ledger
            }
        }
        let reopened = try Vault(configuration: configuration, clock: clock.vaultClock)
        XCTAssertEqual(reopened.ledger.withLock { $0 }, kept, "rebuilt from the rows, the same totals to the byte-minute")
        XCTAssertEqual(reopened.statistics.stored, kept.secrets)
        clock.advance(by: 3 * 3600)
        let census = try VaultCensus.read(configuration, clock: clock.vaultClock)
        XCTAssertEqual(census.storage, reopened.storageUsage)
        XCTAssertGreaterThan(census.storage.budgetUsed, 0)
    }

    func testPurgeEverythingLeavesNothingToRead() async throws {
        let vault = try makeVault()
        let database = vault.configuration.databasePath
        _ = try await vault.create(secret: large, passphrase: nil, ttl: month)
        _ = try await vault.create(secret: [1], passphrase: nil, ttl: 300)
        // A tip is stored as it comes (age ciphertext to the vault): its bytes can be looked for.
        let (pattern, bytes) = distinctiveBytes(300_000)
        _ = try await storeTip(bytes, in: vault)
        let storedBefore = try fileContains(pattern, at: database) || fileContains(pattern, at: database + "-wal")
        XCTAssertTrue(storedBefore)
        try await vault.purgeEverything()
        let census = vault.census
        XCTAssertEqual([census.storage.secrets, census.storage.receipts, census.tips, census.replies, census.storage.budgetUsed], [0, 0, 0, 0, 0])
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: database), 0)
        XCTAssertFalse(try fileContains(pattern, at: database), "secure_delete and the checkpoint overwrote it")
        XCTAssertFalse(try fileContains(pattern, at: database + "-wal"))
        let reopened = try VaultCensus.read(vault.configuration)
        XCTAssertEqual(reopened, census)
    }
}
