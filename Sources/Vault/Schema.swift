/// The on-disk layout, versioned with `PRAGMA user_version`.
///
/// Two tables, no text columns, no rowid aliases that would leak insertion order:
/// - `secret`: one row per unread secret, keyed by a KDF output of the share token.
/// - `receipt`: one row per receipt, keyed by a KDF output of the receipt token.
/// Times are whole minutes since the epoch. See docs/decisions/0002-storage-layout.md.
enum Schema {
    static let version: Int64 = 1

    static let statements = [
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
    ]

    /// Stored receipt states; `expired` is never stored, it is computed from the clock.
    enum StoredState: Int64 {
        case new = 0
        case received = 1
        case burned = 2
    }

    static func migrate(_ connection: SQLiteConnection) throws {
        let current = try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
        switch current {
        case version:
            return
        case 0:
            try connection.transaction {
                for statement in statements { try connection.execute(statement) }
                try connection.execute("PRAGMA user_version = \(version)")
            }
        default:
            throw StorageError(code: 0, message: "database schema version \(current) is newer than this build understands (\(version))")
        }
    }
}
