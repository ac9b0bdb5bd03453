internal import CSQLite

/// The integer key of a secret or receipt row (schema step 6): the first 8 bytes of its KDF row
/// id, big-endian, with the top bit cleared so that SQLite's rowid is never negative. Like the
/// row id it says nothing of the token without the token, nor of the order rows came in.
/// See docs/decisions/0026-rowid-secret-and-receipt-tables.md.
enum RowKey {
    static func of(_ rowID: [UInt8]) -> Int64 {
        precondition(rowID.count >= 8, "a row id has at least 8 bytes")
        let high = rowID.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: high & UInt64(Int64.max))
    }

    /// The key as a statement's argument.
    static func value(_ rowID: [UInt8]) -> SQLValue { .integer(of(rowID)) }

    /// Every key, cut into `count` ranges of equal width: keys are KDF outputs, so each range
    /// holds about the same share of the rows, and a statement limited to one reads only its
    /// share of the table.
    static func slices(_ count: Int) -> [ClosedRange<Int64>] {
        let width = Int64.max / Int64(count)
        return (0..<Int64(count)).map { index in
            index * width...(index == Int64(count) - 1 ? Int64.max : (index + 1) * width - 1)
        }
    }
}

extension StorageError {
    /// The insert found its row key taken by another row: a different token whose row id
    /// starts with the same 63 bits, one chance in about 2^63 / rows.
    var isRowKeyTaken: Bool { code == SQLITE_CONSTRAINT | 6 << 8 }  // SQLITE_CONSTRAINT_PRIMARYKEY
}
