import Hardening
import XCTest
@testable import Appliance

/// `storage = memory` against the lock budget: which quotas fit, the one-line refusal and the
/// keys it names, and what the configuration derives for a vault in memory.
final class MemoryStorageBudgetTests: XCTestCase {
    private let mebibyte = 1 << 20

    private func memoryConfiguration(_ text: String = "") throws -> ApplianceConfiguration {
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse("storage = memory\n" + text, file: "test.conf", into: &configuration)
        return try configuration.validated()
    }

    func testWithoutTheInboxOnlySecretsAreBudgeted() throws {
        let configuration = try memoryConfiguration()
        XCTAssertEqual(configuration.vault.maxStoredTipBytes, 0)
        XCTAssertEqual(configuration.vault.maxStoredReplyBytes, 0)
        let footprint = configuration.vault.memoryFootprint
        XCTAssertEqual(footprint.stagingBytes, 0)
        // 2 × 256 MiB + 100,000 × 1 KiB + 200,000 receipts × 1 KiB + 4 MiB, rounded up to a MiB.
        XCTAssertEqual(footprint.databaseBytes, 809 * mebibyte)
    }

    func testUnderRLIMIT_MEMLOCKTheServerAndTheQuotasMustFitTogether() throws {
        let defaults = try memoryConfiguration()
        let server = MemoryStorageBudgetTests.serverBytes(defaults)
        let need = server + defaults.vault.memoryFootprint.totalBytes
        XCTAssertEqual(MemoryStorageBudget.requiredLockLimit(defaults), need)
        XCTAssertNil(MemoryStorageBudget.refusal(defaults, budget: LockBudget(bytes: need, fromLimit: true)))

        let refusal = try XCTUnwrap(MemoryStorageBudget.refusal(defaults, budget: LockBudget(bytes: need - 1, fromLimit: true)))
        XCTAssertFalse(refusal.contains("\n"))
        XCTAssertTrue(refusal.hasPrefix("storage = memory needs \(need / mebibyte) MiB of locked memory"), refusal)
        for words in ["max_stored_bytes", "max_secrets", "max_receipts", "LimitMEMLOCK", "storage = ephemeral"] {
            XCTAssertTrue(refusal.contains(words), "\(words) in: \(refusal)")
        }
        XCTAssertFalse(refusal.contains("inbox_max_stored_bytes"), "the inbox is off: its keys change nothing")

        let small = try memoryConfiguration("max_secrets = 1000\nmax_stored_bytes = 4194304\n")
        XCTAssertNil(MemoryStorageBudget.refusal(small, budget: LockBudget(bytes: need - 1, fromLimit: true)))
    }

    func testWithCAP_IPC_LOCKOnlyTheQuotasCountAgainstHalfTheMemory() throws {
        let defaults = try memoryConfiguration()
        let storage = defaults.vault.memoryFootprint.totalBytes
        XCTAssertNil(MemoryStorageBudget.refusal(defaults, budget: LockBudget(bytes: storage, fromLimit: false)))
        let refusal = try XCTUnwrap(MemoryStorageBudget.refusal(defaults, budget: LockBudget(bytes: storage - 1, fromLimit: false)))
        XCTAssertTrue(refusal.contains("half of this machine's memory"), refusal)
        XCTAssertFalse(refusal.contains("LimitMEMLOCK"), "no limit applies with CAP_IPC_LOCK")
    }

    func testVaultsOnDiskAndUnlockedDevelopmentServersAreNotHeldToIt() throws {
        let none = LockBudget(bytes: 0, fromLimit: true)
        XCTAssertNil(MemoryStorageBudget.refusal(ApplianceConfiguration(), budget: none))
        let unlocked = try memoryConfiguration("allow_unlocked_memory = true\n")
        XCTAssertNil(MemoryStorageBudget.refusal(unlocked, budget: none))
        XCTAssertNotNil(MemoryStorageBudget.refusal(unlocked, budget: LockBudget(bytes: 0, fromLimit: false)))
    }

    func testADatabaseBeyondWhatMemdbCanHoldIsRefusedAsTheFileIsRead() throws {
        XCTAssertThrowsError(try memoryConfiguration("max_stored_bytes = 1073741824\n")) { error in
            XCTAssertTrue("\(error)".contains("an in-memory database can hold"), "\(error)")
            XCTAssertTrue("\(error)".contains("max_stored_bytes"), "\(error)")
        }
        var onDisk = ApplianceConfiguration()
        try ConfigFile.parse("max_stored_bytes = 1073741824\n", file: "test.conf", into: &onDisk)
        XCTAssertNoThrow(try onDisk.validated(), "on disk the bound does not apply")
    }

    func testAVaultInMemoryMayWriteNoFolderButTheSockets() throws {
        var configuration = try memoryConfiguration()
        XCTAssertEqual(configuration.writablePaths, [])
        configuration.listen = try ListenAddress(parsing: "unix:/run/ashlink/http.sock")
        XCTAssertEqual(configuration.writablePaths, ["/run/ashlink"])
    }

    private static func serverBytes(_ configuration: ApplianceConfiguration) -> Int {
        MemoryBudget.recommendedLockLimit(argon2Concurrency: configuration.vault.argon2Concurrency, cacheKiB: configuration.vault.cacheKiB)
    }
}
