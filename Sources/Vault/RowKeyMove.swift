/// Schema step 6's move: step 5's secret and receipt rows, keyed by their 32-byte row ids in
/// WITHOUT ROWID tables, into rowid tables keyed by ``RowKey``. A few rows per transaction, each
/// batch copied and deleted together, so that a crash part-way leaves every row in exactly one
/// of the two tables and the next open goes on from there. Every stored byte moves as it is:
/// the full row id stays the associated data of each seal.
/// See docs/decisions/0026-rowid-secret-and-receipt-tables.md.
enum RowKeyMove {
    /// Rows per transaction: at most 64 KiB of secret each, a few MiB at most.
    static let rowsPerBatch = 64

    static let secretTable = """
        CREATE TABLE IF NOT EXISTS secret_v6 (
            id INTEGER PRIMARY KEY NOT NULL,
            salt BLOB NOT NULL,
            header BLOB NOT NULL,
            sealed BLOB NOT NULL,
            sweep_hour INTEGER NOT NULL
        )
        """
    static let receiptTable = """
        CREATE TABLE IF NOT EXISTS receipt_v6 (
            id INTEGER PRIMARY KEY NOT NULL,
            payload BLOB NOT NULL,
            outcome BLOB NOT NULL,
            sweep_hour INTEGER NOT NULL
        )
        """

    static func moveStep5Rows(in connection: SQLiteConnection) throws {
        try connection.execute(secretTable)
        try connection.execute(receiptTable)
        while try moveBatch(from: "secret", columns: ["salt", "header", "sealed", "sweep_hour"], in: connection) > 0 {}
        while try moveBatch(from: "receipt", columns: ["payload", "outcome", "sweep_hour"], in: connection) > 0 {}
    }

    /// Moves up to ``rowsPerBatch`` rows of `table` into `table`_v6 in one transaction; answers
    /// how many left the old table. Two step-5 ids that share their first 63 bits (about one
    /// chance in 2^63 / rows) cannot both have a key: the second is dropped, and its token then
    /// finds nothing, as for an expired secret. Refusing to open the vault instead would lose
    /// every row.
    @discardableResult
    static func moveBatch(from table: String, columns: [String], in connection: SQLiteConnection) throws -> Int {
        let names = columns.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")
        return try connection.transaction {
            let rows = try connection.query("SELECT id, \(names) FROM \(table) ORDER BY id LIMIT \(rowsPerBatch)")
            for row in rows {
                let id = row[column: "id"] ?? .null
                // Step 5 wrote 32-byte ids only; anything else could not be found by a token.
                if let bytes = id.blob, bytes.count == DerivedKeys.rowIDLength {
                    let values = [RowKey.value(bytes)] + columns.map { row[column: $0] ?? .null }
                    try connection.query("INSERT OR IGNORE INTO \(table)_v6 (id, \(names)) VALUES (\(placeholders))", values)
                }
                try connection.query("DELETE FROM \(table) WHERE id = ?", [id])
            }
            return rows.count
        }
    }
}
