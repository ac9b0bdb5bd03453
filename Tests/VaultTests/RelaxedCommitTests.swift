import XCTest
@testable import Vault

/// The store's commits sync unless every write in them asked not to, and each commit sets its
/// own level, so a durable write never rides on a relaxed commit's setting.
final class RelaxedCommitTests: XCTestCase {
    private func synchronousLevel(durable: Bool, in vault: Vault) async throws -> Int64? {
        try await vault.storeWrite(durable: durable) { try $0.query("PRAGMA synchronous").first?.integer("synchronous") }
    }

    func testOnlyCommitsOfRelaxedWritesGoUnsynced() async throws {
        let vault = try makeVault()
        let (normal, full): (Int64, Int64) = (1, 2)
        let levels = [
            try await synchronousLevel(durable: true, in: vault),
            try await synchronousLevel(durable: false, in: vault),
            try await synchronousLevel(durable: true, in: vault),
        ]
        XCTAssertEqual(levels, [full, normal, full])
    }

    /// A tip's chunks are relaxed writes, its finish a durable one: the tip reads back whole.
    func testATipWrittenInRelaxedChunksIsWholeOnceFinished() async throws {
        let vault = try makeVault()
        let bytes = Sodium.randomBytes(3 * TipTable.chunkBytes + 5)
        let stored = try await storeTip(bytes, in: vault, pieceSize: TipTable.chunkBytes / 2)
        let reader = try await vault.openTip(stored.id)
        let read = try await readAll(try XCTUnwrap(reader))
        XCTAssertTrue(sameBytes(read, bytes))
        let level = try await synchronousLevel(durable: true, in: vault)
        XCTAssertEqual(level, 2)
    }
}
