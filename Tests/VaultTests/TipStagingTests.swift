import XCTest
@testable import Vault

/// Staging uploads on a real database file: read back whole, never a tip, counted in the bytes
/// quota only, gone after discard and after a reopen that follows a crash.
final class TipStagingTests: XCTestCase {
    func testStagedBytesReadBackInChunksAndAreNeverATip() async throws {
        let vault = try makeVault { $0.maxTips = 1 }
        let original = Sodium.randomBytes(2 * TipTable.chunkBytes + 777)
        let staging = try await vault.beginStaging()
        for start in stride(from: 0, to: original.count, by: 100_000) {
            try await staging.append(Array(original[start..<min(start + 100_000, original.count)]))
        }
        try await staging.seal()
        var read: [UInt8] = []
        var index = 0
        while let chunk = try await staging.chunk(index) {
            XCTAssertLessThanOrEqual(chunk.count, TipTable.chunkBytes)
            read += chunk
            index += 1
        }
        XCTAssertTrue(sameBytes(read, original))
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [], "a staging is never listed")
        XCTAssertEqual(vault.statistics.storedTips, 0, "a staging takes no tip of the count quota")
        XCTAssertEqual(vault.statistics.storedTipBytes, original.count, "its bytes take room on disk, so they count")
        let tip = try await storeTip([1, 2, 3], in: vault)
        XCTAssertEqual(tip.bytes, 3, "the one tip maxTips allows still fits beside a staging")

        await staging.discard()
        XCTAssertEqual(vault.statistics.storedTipBytes, 3)
        let path = vault.configuration.databasePath
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip WHERE received_day IS NULL", inDatabaseAt: path), 0)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: path), 1, "only the tip's own chunk")
    }

    func testAStagingThatExceedsTheQuotaIsRefused() async throws {
        let vault = try makeVault { $0.maxStoredTipBytes = 1000 }
        let staging = try await vault.beginStaging()
        try await staging.append(Array(repeating: 7, count: 600))
        do {
            try await staging.append(Array(repeating: 7, count: 600))
            XCTFail("over the quota")
        } catch VaultError.inboxFull {}
        await staging.discard()
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    func testAStagingLeftByACrashIsDeletedAtTheNextOpen() async throws {
        let directory = try makeTemporaryDirectory()
        addTeardownBlock { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        do {
            let vault = try Vault(configuration: configuration)
            let staging = try await vault.beginStaging()
            try await staging.append(Sodium.randomBytes(TipTable.chunkBytes + 1))
            try await staging.seal()
            XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath), 2)
            // What a crash leaves: the rows, with no discard yet; the staging is kept alive so
            // that only the open's clean-up can have removed them.
            try withExtendedLifetime(staging) {
                _ = try Vault(configuration: configuration)
                XCTAssertEqual(try countRows("SELECT count(*) FROM tip", inDatabaseAt: configuration.databasePath), 0)
                XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath), 0)
            }
        }
    }
}
