import XCTest
@testable import Vault

/// Schema step 4 moves v2's tip chunks into the rowid table: every chunk arrives once, in order,
/// also when a crash cut the move short, and nothing is left in the old table.
final class TipChunkMigrationTests: XCTestCase {
    private struct V3Tip {
        let id: TipID
        let chunks: [[UInt8]]
        var bytes: [UInt8] { chunks.flatMap { $0 } }
    }

    func testAV3InboxUpgradesWithEveryTipByteIdenticalAndItsUnfinishedUploadGone() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let (tips, unfinished) = try writeV3Inbox(at: configuration.databasePath)

        let vault = try Vault(configuration: configuration)
        try await assertStored(tips, in: vault)
        let gone = try await vault.openTip(unfinished)
        XCTAssertNil(gone)
        XCTAssertEqual(try Schema.storedVersion(SQLiteConnection(path: configuration.databasePath)), Schema.version)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath), 10)
        XCTAssertEqual(try tableNames(at: configuration.databasePath).filter { $0.hasPrefix("tip") }, ["tip", "tip_chunk"])
    }

    /// The state a crash between two of the move's transactions leaves: version 3, some chunks
    /// already in the new table, the rest still in the old one.
    func testAMoveCutShortByACrashFinishesAtTheNextOpen() async throws {
        let directory = try makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let configuration = VaultConfiguration(directory: directory)
        let (tips, _) = try writeV3Inbox(at: configuration.databasePath)
        let connection = try SQLiteConnection(path: configuration.databasePath)
        try connection.execute(
            "CREATE TABLE tip_chunk_v4 (id INTEGER PRIMARY KEY NOT NULL, tip BLOB NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL)")
        try connection.execute("CREATE UNIQUE INDEX tip_chunk_order ON tip_chunk_v4 (tip, seq)")
        try connection.execute("BEGIN")
        try connection.execute("INSERT INTO tip_chunk_v4 (tip, seq, data) SELECT tip, seq, data FROM tip_chunk WHERE seq < 5")
        try connection.execute("DELETE FROM tip_chunk WHERE seq < 5")
        try connection.execute("COMMIT")
        XCTAssertEqual(try Schema.storedVersion(connection), 3)

        let vault = try Vault(configuration: configuration)
        try await assertStored(tips, in: vault)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: configuration.databasePath), 10)
    }

    /// Sixteen one-chunk tips, so that random ids come out in order of writing once in 16! runs
    /// (a test that fails one run in 24, as four chunks did, says nothing).
    func testNewChunksGetRandomRowIDsThatSayNothingOfTheirOrder() async throws {
        let vault = try makeVault()
        var written: [TipID] = []
        for _ in 0..<16 { written.append(try await storeTip(Sodium.randomBytes(100), in: vault).id) }
        let connection = try SQLiteConnection(path: vault.configuration.databasePath)
        let ids = try written.map { tip in
            try XCTUnwrap(connection.query("SELECT id FROM tip_chunk WHERE tip = ?", [.blob(tip.bytes)]).first?.integer("id"))
        }
        XCTAssertNotEqual(ids, ids.sorted(), "in order of writing: a counting rowid")
        XCTAssertTrue(ids.allSatisfy { $0 > Int64(UInt32.max) }, "a counting rowid would be small: \(ids)")
    }

    // MARK: Helpers

    /// A v3 file as releases with schema step 3 wrote it: one tip of nine full chunks and one of a
    /// part chunk, and an upload in progress cut off by a crash.
    private func writeV3Inbox(at path: String) throws -> (tips: [V3Tip], unfinished: TipID) {
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
        try connection.query("PRAGMA journal_mode = WAL")
        for step in Schema.migrations.prefix(3) {
            for statement in step.statements { try connection.execute(statement) }
        }
        try connection.execute("PRAGMA user_version = 3")
        let tips = [
            V3Tip(id: .random(), chunks: (0..<9).map { _ in Sodium.randomBytes(TipTable.chunkBytes) }),
            V3Tip(id: .random(), chunks: [Sodium.randomBytes(12_345)]),
        ]
        for tip in tips {
            try connection.query(
                "INSERT INTO tip (id, bytes, received_day) VALUES (?, ?, 20000)", [.blob(tip.id.bytes), .integer(Int64(tip.bytes.count))])
            for (sequence, chunk) in tip.chunks.enumerated() {
                try insertV2Chunk(tip.id, Int64(sequence), chunk, into: connection)
            }
        }
        let unfinished = TipID.random()
        try connection.query("INSERT INTO tip (id, bytes, received_day) VALUES (?, 0, NULL)", [.blob(unfinished.bytes)])
        try insertV2Chunk(unfinished, 0, Sodium.randomBytes(1000), into: connection)
        return (tips, unfinished)
    }

    private func insertV2Chunk(_ tip: TipID, _ sequence: Int64, _ data: [UInt8], into connection: SQLiteConnection) throws {
        try connection.query(
            "INSERT INTO tip_chunk (tip, seq, data) VALUES (?, ?, ?)", [.blob(tip.bytes), .integer(sequence), .blob(data)])
    }

    private func assertStored(_ tips: [V3Tip], in vault: Vault, file: StaticString = #filePath, line: UInt = #line) async throws {
        let listed = try await vault.tips()
        XCTAssertEqual(Set(listed.map(\.id)), Set(tips.map(\.id)), file: file, line: line)
        for tip in tips {
            let opened = try await vault.openTip(tip.id)
            let reader = try XCTUnwrap(opened, file: file, line: line)
            let chunks = try await readChunks(reader)
            XCTAssertEqual(chunks.map(\.count), tip.chunks.map(\.count), file: file, line: line)
            XCTAssertTrue(sameBytes(chunks.flatMap { $0 }, tip.bytes), "tip \(tip.id) differs", file: file, line: line)
        }
    }

    private func tableNames(at path: String) throws -> [String] {
        try SQLiteConnection(path: path).query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { row in if case .text(let name) = row[0] { name } else { nil } }
    }
}
