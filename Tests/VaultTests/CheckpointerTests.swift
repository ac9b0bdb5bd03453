import XCTest
@testable import Vault

/// The WAL is copied back beside the store's writes, and stays bounded while a large tip is
/// written; the truncating checkpoint still leaves an empty WAL.
final class CheckpointerTests: XCTestCase {
    private func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    func testTheWALIsCopiedBackAndStaysBoundedWhileATipIsWritten() async throws {
        let vault = try makeVault()
        let path = vault.configuration.databasePath
        let catchUpBytes = Int(Checkpointer.framesBeforeCatchingUp) * 4096
        let upload = try await vault.beginTip()
        var largestWAL = 0
        for _ in 0..<(2 * catchUpBytes / TipTable.chunkBytes) {
            try await upload.append(Sodium.randomBytes(TipTable.chunkBytes))
            largestWAL = max(largestWAL, size(path + "-wal"))
        }
        vault.store.checkpointer?.drain()
        XCTAssertGreaterThan(size(path), catchUpBytes, "checkpoints copied the unfinished tip's pages into the database")
        XCTAssertLessThan(largestWAL, catchUpBytes + 8 * TipTable.chunkBytes, "the WAL started over rather than grow with the tip")
        let stored = try await upload.finish()
        let deleted = try await vault.deleteTip(stored.id)
        XCTAssertTrue(deleted)
        XCTAssertEqual(size(path + "-wal"), 0, "the truncating checkpoint after a delete still completes")
    }
}
