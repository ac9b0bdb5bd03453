internal import CSQLite

/// A failure reported by SQLite. `isFull` separates "the disk or quota is full" from faults.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String

    public var isFull: Bool { code & 0xFF == SQLITE_FULL }
    public var description: String { "storage error \(code): \(message)" }
}

/// A minimal, synchronous wrapper over one SQLite connection.
///
/// Not thread-safe on purpose: ``SecretStore`` owns the only connection and serialises every
/// use of it, which is also what makes a reveal exactly-once.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]

    /// A compiled statement kept for reuse, with its result column names read once.
    private struct PreparedStatement {
        let pointer: OpaquePointer
        let columnNames: [String]
    }

    /// `readOnly` opens an existing database without writing to it (``VaultCensus``).
    convenience init(path: String, readOnly: Bool = false) throws {
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        try self.init(name: path, flags: access | SQLITE_OPEN_NOFOLLOW)
    }

    /// A database in this connection's own memory (SQLite's memdb VFS), gone when it closes, that
    /// may grow to `limit` bytes and answers `SQLITE_FULL` beyond them. The name does not begin
    /// with "/", so memdb keeps it private to this connection: no other connection, of this
    /// vault or another in the process, can open it.
    convenience init(inMemoryLimitedTo limit: Int) throws {
        try self.init(name: "file:vault?vfs=memdb", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI)
        var bytes = Int64(limit)
        try check(sqlite3_file_control(handle, "main", SQLITE_FCNTL_SIZE_LIMIT, &bytes))
        guard bytes == Int64(limit) else {
            throw StorageError(code: SQLITE_MISUSE, message: "the in-memory database cannot be limited to \(limit) bytes")
        }
    }

    private init(name: String, flags: Int32) throws {
        let status = sqlite3_open_v2(name, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let error = StorageError(code: status, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
            sqlite3_close_v2(handle)
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        // Before any statement: even the first PRAGMA reads the file, and a connection of this
        // folder that is closing (its last checkpoint) holds the lock for a moment.
        try check(sqlite3_busy_timeout(handle, Self.busyMilliseconds))
    }

    /// How long a connection waits for a lock another holds for a moment (opening, closing,
    /// the checkpointer's copy), rather than fail the request.
    static let busyMilliseconds: Int32 = 5000

    deinit {
        for statement in statements.values { sqlite3_finalize(statement.pointer) }
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// Runs a statement (cached by its text) and returns every row it yields.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        let prepared = try prepared(sql)
        let statement = prepared.pointer
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, parameter) in parameters.enumerated() {
            try bind(parameter, to: Int32(index + 1), in: statement)
        }
        var rows: [SQLRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { try check(status); return rows }
            let values = (0..<prepared.columnNames.count).map { column(Int32($0), of: statement) }
            rows.append(SQLRow(columnNames: prepared.columnNames, values: values))
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Calls `body` after every commit with this connection and the WAL's length in frames,
    /// instead of SQLite's automatic checkpoint (a WAL hook replaces it).
    func onCommit(_ body: @escaping (SQLiteConnection, Int32) -> Void) {
        let hook = WALHook(connection: self, body: body)
        walHook = hook
        sqlite3_wal_hook(handle, { context, _, _, frames in
            let hook = Unmanaged<WALHook>.fromOpaque(context!).takeUnretainedValue()
            hook.body(hook.connection, frames)
            return SQLITE_OK
        }, Unmanaged.passUnretained(hook).toOpaque())
    }

    /// Kept alive here for as long as SQLite may call it.
    private var walHook: WALHook?

    private final class WALHook {
        unowned let connection: SQLiteConnection
        let body: (SQLiteConnection, Int32) -> Void

        init(connection: SQLiteConnection, body: @escaping (SQLiteConnection, Int32) -> Void) {
            self.connection = connection
            self.body = body
        }
    }

    /// Copies into the database every WAL frame no reader still needs, without waiting for any;
    /// the C call rather than the pragma, since a WAL hook may run it during a commit.
    func checkpointPassively() throws {
        try check(sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil))
    }

    /// All of `body` or none of it. A savepoint, so it nests: inside a group commit's open
    /// transaction it undoes only this job's statements.
    /// The statements are the cached ones (``query(_:_:)``): every write runs them.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("SAVEPOINT job")
        do {
            let result = try body()
            try query("RELEASE job")
            return result
        } catch {
            _ = try? query("ROLLBACK TO job")
            _ = try? query("RELEASE job")
            throw error
        }
    }

    private func prepared(_ sql: String) throws -> PreparedStatement {
        if let statement = statements[sql] { return statement }
        var pointer: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil))
        guard let pointer else { throw StorageError(code: SQLITE_MISUSE, message: "no statement in \"\(sql)\"") }
        let names = (0..<sqlite3_column_count(pointer)).map { String(cString: sqlite3_column_name(pointer, $0)) }
        let statement = PreparedStatement(pointer: pointer, columnNames: names)
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, to index: Int32, in statement: OpaquePointer) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(statement, index)
        case .integer(let integer): status = sqlite3_bind_int64(statement, index, integer)
        case .text(let text):
            status = sqlite3_bind_text(statement, index, text, -1, ashlink_sqlite_transient())
        case .blob(let bytes):
            status = bytes.withUnsafeBytes {
                sqlite3_bind_blob(statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), ashlink_sqlite_transient())
            }
        }
        try check(status)
    }

    private func column(_ index: Int32, of statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let pointer = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        default: return .null
        }
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK || status == SQLITE_ROW || status == SQLITE_DONE else {
            throw StorageError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
        }
    }
}

/// One result row. Table code reads its columns by name (`row.integer("ttl")`), so a query's
/// column order is written once, in its SQL, and never again as positions.
struct SQLRow: RandomAccessCollection {
    let columnNames: [String]
    let values: [SQLValue]

    var startIndex: Int { values.startIndex }
    var endIndex: Int { values.endIndex }
    subscript(position: Int) -> SQLValue { values[position] }

    /// The named column's value; nil when the query has no such column.
    subscript(column name: String) -> SQLValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }

    /// The named column as an integer; nil when it is missing or holds another kind of value.
    func integer(_ name: String) -> Int64? { self[column: name]?.integer }

    /// The named column as bytes; nil when it is missing or holds another kind of value (NULL included).
    func blob(_ name: String) -> [UInt8]? { self[column: name]?.blob }
}

/// The value kinds the vault binds and reads. It never binds text, so no plaintext can land in a
/// text column by mistake; `text` only comes back from pragmas.
enum SQLValue: Hashable {
    case null
    case integer(Int64)
    case blob([UInt8])
    case text(String)

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var blob: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }
}
