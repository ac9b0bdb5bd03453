import Synchronization
import XCTest
@testable import Vault

/// An acknowledgement deletes a tip once, for everyone, and from the files themselves.
final class TipDeletionTests: XCTestCase {
    func testOfManyConcurrentDeletesExactlyOneFindsTheTip() async throws {
        let vault = try makeVault()
        for round in 0..<5 {
            let tip = try await storeTip(Array(repeating: UInt8(round), count: 1000), in: vault)
            let found = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 { group.addTask { try await vault.deleteTip(tip.id) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            XCTAssertEqual(found, 1, "round \(round)")
        }
        XCTAssertEqual(vault.statistics.storedTips, 0)
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    func testReadersDuringADeleteGetTheWholeTipOrACutNeverOtherBytes() async throws {
        let vault = try makeVault()
        let original = Sodium.randomBytes(4 * TipTable.chunkBytes + 999)
        let other = distinctiveBytes(2 * TipTable.chunkBytes).bytes
        let tip = try await storeTip(original, in: vault, pieceSize: TipTable.chunkBytes)
        let survivor = try await storeTip(other, in: vault, pieceSize: TipTable.chunkBytes)
        guard let opened = try await vault.openTip(tip.id) else { return XCTFail("the tip is stored") }

        let outcomes = try await withThrowingTaskGroup(of: (length: Int, prefixIsRight: Bool)?.self) { group in
            for reader in 0..<16 {
                group.addTask {
                    // Half the readers opened before the delete could run, half open when they start.
                    let tipReader = reader.isMultiple(of: 2) ? opened : try await vault.openTip(tip.id)
                    guard let tipReader else { return nil }
                    var received: [UInt8] = []
                    var index = 0
                    while let chunk = try await tipReader.chunk(index) {
                        received += chunk
                        index += 1
                        await Task.yield()
                    }
                    return (received.count, sameBytes(received, original.prefix(received.count)))
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(5))
                let deleted = try await vault.deleteTip(tip.id)
                XCTAssertTrue(deleted)
                return nil
            }
            return try await group.reduce(into: [(length: Int, prefixIsRight: Bool)]()) { if let outcome = $1 { $0.append(outcome) } }
        }
        XCTAssertGreaterThanOrEqual(outcomes.count, 8, "the readers opened beforehand all read")
        for outcome in outcomes {
            XCTAssertTrue(outcome.prefixIsRight, "every byte a reader got is the tip's own, in place")
            XCTAssertTrue(
                outcome.length == original.count || outcome.length.isMultiple(of: TipTable.chunkBytes),
                "a reader gets whole chunks, then nil: \(outcome.length) bytes")
        }
        let gone = try await vault.openTip(tip.id)
        XCTAssertNil(gone)
        let kept = try await vault.openTip(survivor.id)
        let keptBytes = try await readAll(try XCTUnwrap(kept))
        XCTAssertTrue(sameBytes(keptBytes, other), "the other tip is untouched")
    }

    func testATipOfManyBatchesIsDeletedWholeAndACutOffDeleteFinishesAtTheNextOpen() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let chunks = 3 * TipTable.chunksPerDelete + 1
        let countChunks = { try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath) }
        do {
            let vault = try Vault(configuration: configuration)
            let whole = try await storeTip(Sodium.randomBytes(chunks * TipTable.chunkBytes), in: vault)
            let cut = try await storeTip(Sodium.randomBytes(chunks * TipTable.chunkBytes), in: vault)
            let found = try await vault.deleteTip(whole.id)
            XCTAssertTrue(found)
            XCTAssertEqual(try countChunks(), Int64(chunks), "every batch of the deleted tip went, the other stays")

            // A crash after the row went and one batch of chunks: unlisted, and unreadable.
            _ = try await vault.storeWrite { try TipTable.delete(cut.id, in: $0) }
            _ = try await vault.storeWrite { try TipTable.deleteChunks(of: cut.id, in: $0) }
            XCTAssertEqual(try countChunks(), Int64(chunks - TipTable.chunksPerDelete))
            let listed = try await vault.tips()
            XCTAssertEqual(listed, [])
        }
        let reopened = try Vault(configuration: configuration)
        XCTAssertEqual(try countChunks(), 0, "the next open deletes what the cut-off delete left")
        XCTAssertEqual(reopened.statistics.storedTipBytes, 0)
    }

    func testADeletedTipsBytesAreGoneFromTheDatabaseAndTheWAL() async throws {
        let vault = try makeVault()
        let deleted = distinctiveBytes(3 * TipTable.chunkBytes + 4321)
        let kept = distinctiveBytes(TipTable.chunkBytes / 2)
        let tip = try await storeTip(deleted.bytes, in: vault)
        _ = try await storeTip(kept.bytes, in: vault)
        let files = [vault.configuration.databasePath, vault.configuration.databasePath + "-wal"]
        XCTAssertTrue(try occurs(deleted.pattern, inAnyOf: files), "the scan finds a stored tip's bytes")

        let found = try await vault.deleteTip(tip.id)
        XCTAssertTrue(found)
        XCTAssertFalse(try occurs(deleted.pattern, inAnyOf: files), "gone once the acknowledgement is answered")
        try await vault.sweep()
        XCTAssertFalse(try occurs(deleted.pattern, inAnyOf: files))
        XCTAssertTrue(try occurs(kept.pattern, inAnyOf: files), "the other tip is still there to find")
        let integrity = try await vault.integrityCheck()
        XCTAssertTrue(integrity)
    }

    func testSweepingReturnsADeletedTipsPagesToTheFileSystem() async throws {
        let vault = try makeVault()
        let tip = try await storeTip(distinctiveBytes(4 * TipTable.chunkBytes).bytes, in: vault)
        try await vault.sweep()
        let full = try fileSize(vault.configuration.databasePath)
        XCTAssertGreaterThan(full, 4 * TipTable.chunkBytes)
        _ = try await vault.deleteTip(tip.id)
        try await vault.sweep()
        XCTAssertLessThan(try fileSize(vault.configuration.databasePath), TipTable.chunkBytes / 4)
        XCTAssertEqual(try fileSize(vault.configuration.databasePath + "-wal"), 0)
    }

    private func occurs(_ pattern: [UInt8], inAnyOf paths: [String]) throws -> Bool {
        try paths.contains { try fileContains(pattern, at: $0) }
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }
}
