@testable import Vault
import XCTest
@testable import Appliance

/// `ashlink purge` asks for exactly what it deletes; `ashlink stats` prints aggregates only.
final class OperatorCommandTests: XCTestCase {
    func testPurgeNeedsOneChoiceAndAllNeedsItsConfirmation() throws {
        XCTAssertNil(commandLineRefusal(["purge", "--expired"]))
        XCTAssertNil(commandLineRefusal(["purge", "--all", "--yes-delete-everything"]))
        let unconfirmed = try XCTUnwrap(commandLineRefusal(["purge", "--all"]))
        XCTAssertTrue(unconfirmed.contains("--yes-delete-everything") && !unconfirmed.contains("\n"), unconfirmed)
        for arguments in [["purge"], ["purge", "--expired", "--all", "--yes-delete-everything"], ["purge", "--expired", "--yes-delete-everything"]] {
            XCTAssertNotNil(commandLineRefusal(arguments), "\(arguments)")
        }
    }

    func testStatsLinesAreNamedAggregatesBoundedByTheirLimits() {
        let census = VaultCensus(
            storage: StorageUsage(secrets: 3, secretBytes: 1234, receipts: 5, budgetUsed: 1, budget: 3),
            tips: 2, tipBytes: 99, replies: 1, replyBytes: 40)
        let lines = StatsReport.lines(census, limits: VaultConfiguration(directory: "/unused"))
        XCTAssertEqual(lines, [
            "secrets       3 of 100000",
            "secret_bytes  1234 of 268435456",
            "receipts      5 of 200000",
            "budget_used   33.3% of 268435456 bytes for 24 h",
            "tips          2 of 1000",
            "tip_bytes     99 of 4294967296",
            "replies       1",
            "reply_bytes   40 of 268435456",
        ])
    }
}
