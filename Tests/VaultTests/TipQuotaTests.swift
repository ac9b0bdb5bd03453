import XCTest
@testable import Vault

/// The inbox quota refuses new tips and never drops a stored one; crashed uploads leave nothing.
final class TipQuotaTests: XCTestCase {
    func testTheCountQuotaCountsUploadsInProgressAndAbandonFreesRoom() async throws {
        let vault = try makeVault { $0.maxTips = 2 }
        let first = try await storeTip(Array("first".utf8), in: vault)
        let inProgress = try await vault.beginTip()
        try await inProgress.append([1, 2, 3])
        await assertInboxFull { _ = try await vault.beginTip() }
        XCTAssertEqual(vault.statistics.refusedInboxFull, 1)
        XCTAssertEqual(vault.statistics.storedTips, 2)

        await inProgress.abandon()
        let second = try await storeTip(Array("second".utf8), in: vault)
        await assertInboxFull { _ = try await vault.beginTip() }
        XCTAssertEqual(vault.statistics.refusedInboxFull, 2)
        let listed = try await vault.tips()
        XCTAssertEqual(Set(listed.map(\.id)), [first.id, second.id])
        try await assertStored(Array("first".utf8), as: first, in: vault)

        _ = try await vault.deleteTip(first.id)
        _ = try await storeTip([9], in: vault)
    }

    func testTheByteQuotaRefusesAppendsAndKeepsEarlierTips() async throws {
        let vault = try makeVault { $0.maxStoredTipBytes = 100 }
        let early = try await storeTip(Array(repeating: 7, count: 60), in: vault)
        let upload = try await vault.beginTip()
        try await upload.append(Array(repeating: 8, count: 30))
        await assertInboxFull { try await upload.append(Array(repeating: 8, count: 11)) }
        XCTAssertEqual(vault.statistics.refusedInboxFull, 1)
        XCTAssertEqual(vault.statistics.storedTipBytes, 90, "refused bytes take no room")
        await upload.abandon()
        XCTAssertEqual(vault.statistics.storedTipBytes, 60)
        try await assertStored(Array(repeating: 7, count: 60), as: early, in: vault)

        let exact = try await storeTip(Array(repeating: 9, count: 40), in: vault)
        XCTAssertEqual(exact.bytes, 40, "the quota's last byte can be used")
        await assertInboxFull { _ = try await vault.beginTip() }
        XCTAssertEqual(vault.statistics.refusedInboxFull, 2, "with no byte left, a new upload is refused at once")
        let listed = try await vault.tips()
        XCTAssertEqual(listed.count, 2)
    }

    func testAnUploadDroppedWithoutFinishOrAbandonGivesItsRoomBack() async throws {
        let vault = try makeVault { $0.maxTips = 1 }
        do {
            let forgotten = try await vault.beginTip()
            try await forgotten.append(distinctiveBytes(TipTable.chunkBytes).bytes)
        }
        XCTAssertEqual(vault.statistics.storedTips, 0)
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
        let stored = try await storeTip([5], in: vault)
        // The dropped upload's rows are deleted by jobs queued when it went away: its chunks,
        // then its row.
        let path = vault.configuration.databasePath
        var waited = 0
        while try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: path) > 1
                || countRows("SELECT count(*) FROM tip", inDatabaseAt: path) > 1, waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: path), 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip", inDatabaseAt: path), 1)
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [stored])
    }

    /// `kill -9` in the middle of an upload: the files as the process left them, copied while an
    /// upload was in progress (its first chunk committed), open with the tip gone.
    func testAnUploadCutOffByACrashVanishesAtOpen() async throws {
        let directory = try makeTemporaryDirectory(), crashed = try makeTemporaryDirectory()
        defer { removeDirectory(directory); removeDirectory(crashed) }
        let vault = try Vault(configuration: VaultConfiguration(directory: directory))
        let kept = try await storeTip(Array("kept".utf8), in: vault)
        let upload = try await vault.beginTip()
        try await upload.append(distinctiveBytes(TipTable.chunkBytes + 10).bytes)
        for suffix in ["", "-wal"] {
            let source = vault.configuration.databasePath + suffix
            guard FileManager.default.fileExists(atPath: source) else { continue }
            try FileManager.default.copyItem(atPath: source, toPath: VaultConfiguration(directory: crashed).databasePath + suffix)
        }
        await upload.abandon()

        let image = VaultConfiguration(directory: crashed).databasePath
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip WHERE received_day IS NULL", inDatabaseAt: image), 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: image), 2)
        let restarted = try Vault(configuration: VaultConfiguration(directory: crashed))
        XCTAssertEqual(restarted.statistics.storedTips, 1)
        XCTAssertEqual(restarted.statistics.storedTipBytes, 4)
        let listed = try await restarted.tips()
        XCTAssertEqual(listed, [kept])
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip", inDatabaseAt: image), 1)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: image), 1)
        try await assertStored(Array("kept".utf8), as: kept, in: restarted)
    }

    private func assertStored(_ expected: [UInt8], as tip: StoredTip, in vault: Vault, line: UInt = #line) async throws {
        let reader = try await vault.openTip(tip.id)
        XCTAssertEqual(reader?.tip, tip, line: line)
        let bytes = try await readAll(try XCTUnwrap(reader, line: line))
        XCTAssertEqual(bytes, expected, line: line)
    }

    private func assertInboxFull(line: UInt = #line, _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected .inboxFull", line: line)
        } catch {
            XCTAssertEqual(error as? VaultError, .inboxFull, line: line)
        }
    }
}
