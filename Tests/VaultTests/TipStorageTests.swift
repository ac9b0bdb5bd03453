import XCTest
@testable import Vault

/// Tips stored, listed, read back in chunks and deleted, on a real database file.
final class TipStorageTests: XCTestCase {
    func testATipOfSeveralChunksRoundTrips() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock)
        let original = Sodium.randomBytes(2 * TipTable.chunkBytes + 12_345)
        let stored = try await storeTip(original, in: vault, pieceSize: 65_536 + 7)
        XCTAssertEqual(stored.bytes, original.count)
        XCTAssertEqual(stored.received, UTCDay.text(UTCDay.day(ofSecond: clock.vaultClock.now())))
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [stored])

        let reader = try await vault.openTip(stored.id)
        XCTAssertEqual(reader?.tip, stored)
        let chunks = try await readChunks(try XCTUnwrap(reader))
        XCTAssertEqual(chunks.map(\.count), [TipTable.chunkBytes, TipTable.chunkBytes, 12_345])
        XCTAssertTrue(sameBytes(chunks.flatMap { $0 }, original))
        let beforeStart = try await reader?.chunk(-1)
        XCTAssertNil(beforeStart)

        let deleted = try await vault.deleteTip(stored.id)
        XCTAssertTrue(deleted)
        let again = try await vault.deleteTip(stored.id)
        XCTAssertFalse(again, "already acknowledged")
        let reopened = try await vault.openTip(stored.id)
        XCTAssertNil(reopened)
        let afterDelete = try await reader?.chunk(0)
        XCTAssertNil(afterDelete, "a reader opened before the delete reads nothing after it")
        let empty = try await vault.tips()
        XCTAssertEqual(empty, [])
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: vault.configuration.databasePath), 0)
        XCTAssertEqual(vault.statistics.storedTips, 0)
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    func testATipMuchLargerThanAChunkStreamsBackByteIdentical() async throws {
        let vault = try makeVault()
        // Appended in one piece larger than several chunks, and in pieces that straddle chunk ends.
        let size = 5 * TipTable.chunkBytes + 1
        let original = Sodium.randomBytes(size)
        let upload = try await vault.beginTip()
        try await upload.append(Array(original[..<(3 * TipTable.chunkBytes + 5)]))
        try await upload.append([])
        try await upload.append(Array(original[(3 * TipTable.chunkBytes + 5)...]))
        let stored = try await upload.finish()
        XCTAssertEqual(stored.bytes, size)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: vault.configuration.databasePath), 6)
        XCTAssertEqual(
            try countRows("SELECT max(length(data)) FROM tip_chunk", inDatabaseAt: vault.configuration.databasePath),
            Int64(TipTable.chunkBytes), "no stored chunk is larger than a chunk")

        let reader = try await vault.openTip(stored.id)
        var offset = 0
        var index = 0
        while let chunk = try await reader?.chunk(index) {
            XCTAssertLessThanOrEqual(chunk.count, TipTable.chunkBytes)
            XCTAssertTrue(sameBytes(chunk, original[offset..<offset + chunk.count]), "chunk \(index)")
            offset += chunk.count
            index += 1
        }
        XCTAssertEqual(offset, size)
    }

    func testTipsAreListedByDayThenIDWithNothingFinerThanADay() async throws {
        let clock = ManualClock(1_800_000_000)  // 2027-01-15, 08:00 UTC
        let vault = try makeVault(clock: clock)
        let first = try await storeTip([1], in: vault)
        clock.advance(by: 86_400)
        var nextDay: [StoredTip] = []
        for byte in UInt8(2)...UInt8(6) {
            nextDay.append(try await storeTip([byte], in: vault))
            clock.advance(by: 60)
        }
        XCTAssertEqual(first.received, "2027-01-15")
        XCTAssertEqual(Set(nextDay.map(\.received)), ["2027-01-16"])
        let listed = try await vault.tips()
        XCTAssertEqual(listed.first, first)
        XCTAssertEqual(Array(listed.dropFirst()), nextDay.sorted { $0.id.bytes.lexicographicallyPrecedes($1.id.bytes) })

        let days = try SQLiteConnection(path: vault.configuration.databasePath)
            .query("SELECT DISTINCT received_day FROM tip ORDER BY received_day").map { $0.integer("received_day") }
        XCTAssertEqual(days, [20_833, 20_834], "the stored time is the day number")
    }

    func testAnUploadIsInvisibleUntilFinishedAndAFinishedTipSurvivesReopening() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let original = distinctiveBytes(TipTable.chunkBytes + 100).bytes
        var stored: StoredTip?
        do {
            let vault = try Vault(configuration: configuration)
            let upload = try await vault.beginTip()
            try await upload.append(original)
            let during = try await vault.tips()
            XCTAssertEqual(during, [], "an upload in progress is not listed")
            let unfinishedReader = try await vault.openTip(upload.id)
            XCTAssertNil(unfinishedReader, "nor read")
            let unfinishedDeleted = try await vault.deleteTip(upload.id)
            XCTAssertFalse(unfinishedDeleted, "nor deleted other than by abandoning")
            XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath), 1)
            stored = try await upload.finish()
            await upload.abandon()  // after finish: nothing to undo
        }
        let reopened = try Vault(configuration: configuration)
        XCTAssertEqual(reopened.statistics.storedTips, 1, "recounted at open")
        XCTAssertEqual(reopened.statistics.storedTipBytes, original.count)
        let listed = try await reopened.tips()
        XCTAssertEqual(listed, [try XCTUnwrap(stored)])
        let reader = try await reopened.openTip(try XCTUnwrap(stored).id)
        let readBack = try await readAll(try XCTUnwrap(reader))
        XCTAssertTrue(sameBytes(readBack, original))
        let integrity = try await reopened.integrityCheck()
        XCTAssertTrue(integrity)
    }

    func testAbandonRemovesWhatWasWritten() async throws {
        let vault = try makeVault()
        let kept = try await storeTip([42, 42], in: vault)
        let upload = try await vault.beginTip()
        try await upload.append(distinctiveBytes(2 * TipTable.chunkBytes + 1).bytes)
        XCTAssertEqual(vault.statistics.storedTips, 2)
        await upload.abandon()
        await upload.abandon()
        XCTAssertEqual(vault.statistics.storedTips, 1)
        XCTAssertEqual(vault.statistics.storedTipBytes, 2)
        let path = vault.configuration.databasePath
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip", inDatabaseAt: path), 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: path), 1)
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [kept])
    }

    func testUnknownTipsAreNotFound() async throws {
        let vault = try makeVault()
        let unknown = TipID.random()
        let reader = try await vault.openTip(unknown)
        XCTAssertNil(reader)
        let deleted = try await vault.deleteTip(unknown)
        XCTAssertFalse(deleted)
        XCTAssertEqual(vault.statistics.storedTips, 0)
    }
}
