/// The on-disk layout and how a database gets there: an ordered list of migrations, the
/// database's place in it kept in `PRAGMA user_version`.
///
/// A migration is never edited once released: a database written by an older release must
/// upgrade by exactly the steps it has not yet run. New tables or columns are a new step at the
/// end of the list. The statements that read and write each table live with it, in
/// SecretTable.swift, ReceiptTable.swift (v4's rows: LegacySecretTable.swift,
/// LegacyReceiptTable.swift), TipTable.swift, InstallationTable.swift and ReplyTable.swift.
/// See docs/decisions/0002-key-derivation-and-storage-layout.md, 0007-schema-migrations.md and
/// 0021-unlinkable-rows-and-padding.md and 0026-rowid-secret-and-receipt-tables.md.
enum Schema {
    /// One step from `version - 1` to `version`, applied in a transaction of its own.
    struct Migration {
        let version: Int64
        /// Runs first, in transactions of its own, for a step that moves more rows than one
        /// transaction should hold; it must pick up where a crash part-way left it.
        var prepare: (@Sendable (SQLiteConnection) throws -> Void)? = nil
        let statements: [String]
    }

    static let migrations = [
        // v1: two tables, no text columns, no rowid aliases that would leak insertion order.
        // Times are whole minutes since the epoch.
        Migration(version: 1, statements: [
            """
            CREATE TABLE secret (
                id BLOB PRIMARY KEY NOT NULL,
                sealed BLOB NOT NULL,
                receipt_ref BLOB NOT NULL,
                salt BLOB,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                expires_minute INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX secret_expiry ON secret (expires_minute)",
            """
            CREATE TABLE receipt (
                id BLOB PRIMARY KEY NOT NULL,
                sealed_link BLOB,
                state INTEGER NOT NULL,
                passphrase_required INTEGER NOT NULL,
                ttl INTEGER NOT NULL,
                created_minute INTEGER NOT NULL,
                updated_minute INTEGER NOT NULL,
                secret_expires_minute INTEGER NOT NULL,
                expires_minute INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX receipt_expiry ON receipt (expires_minute)",
            "CREATE INDEX receipt_link_expiry ON receipt (secret_expires_minute) WHERE sealed_link IS NOT NULL",
        ]),
        // v2: the tip inbox. A tip's age file is split into chunks of at most
        // TipTable.chunkBytes, so that neither storing nor reading one holds it whole in memory.
        // `received_day` (whole UTC days since the epoch) is NULL while the upload is in progress.
        // Random ids and no rowids: nothing in the rows tells the order in which tips arrived.
        Migration(version: 2, statements: [
            """
            CREATE TABLE tip (
                id BLOB PRIMARY KEY NOT NULL,
                bytes INTEGER NOT NULL,
                received_day INTEGER
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE tip_chunk (
                tip BLOB NOT NULL,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (tip, seq)
            ) WITHOUT ROWID
            """,
        ]),
        // v3: conversations (docs/decisions/0015-conversations.md). `installation` has one row:
        // the salt that codenames are stretched with, made once for this data directory (at
        // open, from libsodium, see InstallationTable). `reply` holds replies, opaque age files,
        // under a digest of their mailbox id; `seq` orders one mailbox's replies and nothing
        // else, and `expires_day` (whole UTC days since the epoch) is the only time kept.
        Migration(version: 3, statements: [
            """
            CREATE TABLE installation (
                one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
                codename_salt BLOB NOT NULL
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE reply (
                mailbox BLOB NOT NULL,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL,
                expires_day INTEGER NOT NULL,
                PRIMARY KEY (mailbox, seq)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX reply_expiry ON reply (expires_day)",
        ]),
        // v4: tip chunks in a rowid table (docs/decisions/0012-tip-storage.md). In v2's WITHOUT
        // ROWID table each 1 MiB chunk sat in the key's b-tree, and every insert read several
        // MiB of neighbouring rows. Here the key is a random integer (drawn per chunk: a
        // counting rowid would record the order of arrival) and (tip, seq) is a small index.
        // `prepare` moves v2's rows a few chunks per transaction (TipTable.moveV2Chunks), so
        // the upgrade of a full inbox never holds it in one transaction.
        Migration(version: 4, prepare: TipTable.moveV2Chunks, statements: [
            "DROP TABLE tip_chunk",
            "ALTER TABLE tip_chunk_v4 RENAME TO tip_chunk",
        ]),
        // v5: rows that a copy of the file cannot link or date
        // (docs/decisions/0021-unlinkable-rows-and-padding.md). In the clear a secret or receipt
        // keeps only its sweep hour (whole hours since the epoch, its end rounded up plus 0 or 1
        // hour drawn per row); expiries, times, settings, state and passphrase attempts are
        // sealed, at class lengths. Every secret has a salt. v4's rows cannot be re-sealed
        // without their links, so they stay, as written, in `secret_v4` and `receipt_v4`
        // (LegacySecretTable, LegacyReceiptTable) until they are read or expire; no new row goes
        // there.
        Migration(version: 5, statements: [
            "ALTER TABLE secret RENAME TO secret_v4",
            "ALTER TABLE receipt RENAME TO receipt_v4",
            """
            CREATE TABLE secret (
                id BLOB PRIMARY KEY NOT NULL,
                salt BLOB NOT NULL,
                header BLOB NOT NULL,
                sealed BLOB NOT NULL,
                sweep_hour INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX secret_sweep ON secret (sweep_hour)",
            """
            CREATE TABLE receipt (
                id BLOB PRIMARY KEY NOT NULL,
                payload BLOB NOT NULL,
                outcome BLOB NOT NULL,
                sweep_hour INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "CREATE INDEX receipt_sweep ON receipt (sweep_hour)",
        ]),
        // v6: step 5's tables as rowid tables, keyed by the first 63 bits of the row id
        // (RowKey; docs/decisions/0026-rowid-secret-and-receipt-tables.md). In a WITHOUT ROWID
        // table a row keeps about 1 KB in its leaf, so every padded secret took an overflow page
        // of 4 KiB more; a table leaf keeps up to about 4 KB. `prepare` moves step 5's rows a
        // batch per transaction (RowKeyMove); the columns and every sealed byte stay as they were.
        // No index on `sweep_hour`: rows become due only when the hour turns, so the sweep reads
        // the tables once an hour, a slice of keys at a time, instead of every create writing a
        // leaf of two indexes at a random place (docs/decisions/0028-sweep-without-indexes.md).
        Migration(version: 6, prepare: RowKeyMove.moveStep5Rows, statements: [
            "DROP TABLE secret",
            "ALTER TABLE secret_v6 RENAME TO secret",
            "DROP TABLE receipt",
            "ALTER TABLE receipt_v6 RENAME TO receipt",
        ]),
    ]

    /// The version this code writes and reads.
    static var version: Int64 { migrations.last?.version ?? 0 }

    /// Brings the database up to ``version``, one step per transaction, so that a crash between
    /// steps leaves a database at some released version, never between two. A database newer
    /// than this code is refused: it may hold rows this code would misread or destroy. Tests
    /// stop at an earlier `target` to write a file as an older release left it.
    static func migrate(_ connection: SQLiteConnection, upTo target: Int64 = version) throws {
        precondition(migrations.map(\.version) == Array(1...Int64(migrations.count)), "migrations must be numbered 1, 2, 3 ...")
        if target > 0, try storedVersion(connection) == 0 { try createNew(connection, upTo: target) }
        while true {
            let found = try storedVersion(connection)
            if found == target { return }
            guard (0..<target).contains(found) else { throw unsupported(found) }
            let step = migrations[Int(found)]
            try step.prepare?(connection)
            try apply([step], from: found, in: connection)
        }
    }

    /// A database with no schema yet takes every step in one transaction: there is nothing on
    /// disk that a step could leave half-moved, and a new installation's first start then waits
    /// for one sync instead of one per step. Another connection that created it first wins.
    private static func createNew(_ connection: SQLiteConnection, upTo target: Int64) throws {
        try apply(Array(migrations.prefix(Int(target))), from: 0, in: connection, preparing: { try $0.prepare?(connection) })
    }

    /// Runs `steps` in one transaction if the database is still at `found`. IMMEDIATE takes the
    /// write lock before the version is read again, so what is applied always follows the version
    /// actually on disk; a database another connection moved on is left to the next round.
    private static func apply(
        _ steps: [Migration], from found: Int64, in connection: SQLiteConnection, preparing: (Migration) throws -> Void = { _ in }
    ) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            guard try storedVersion(connection) == found, let last = steps.last else { return try connection.execute("ROLLBACK") }
            for step in steps {
                try preparing(step)
                for statement in step.statements { try connection.execute(statement) }
            }
            try connection.execute("PRAGMA user_version = \(last.version)")
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    static func storedVersion(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.query("PRAGMA user_version").first?.integer("user_version") ?? 0
    }

    private static func unsupported(_ found: Int64) -> StorageError {
        StorageError(
            code: 0,
            message: "the database's schema version is \(found), but this release understands versions 0 to \(version) only; "
                + "run the release that wrote it, or restore a backup made for this one")
    }
}
