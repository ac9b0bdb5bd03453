/// The `installation` table (see ``Schema``, v3): what belongs to this data directory as a
/// whole rather than to any secret, tip or reply. One row, made at the first open.
enum InstallationTable {
    /// The salt Argon2id stretches every codename with (``ConversationKeys``): random, made the
    /// first time a vault opens this database, then the same for as long as the database lives,
    /// so that a codename opens its conversation across restarts. It is not secret; it only
    /// makes this installation's codename checks its own.
    ///
    /// Run at open, before any other job, so the read and the insert cannot interleave with anything.
    static func codenameSalt(in connection: SQLiteConnection) throws -> [UInt8] {
        if let stored = try connection.query("SELECT codename_salt FROM installation WHERE one = 1").first {
            guard let salt = stored.blob("codename_salt"), salt.count == Passphrase.saltLength else {
                throw StorageError(code: 0, message: "the installation's codename salt is damaged: codenames could not open their conversations")
            }
            return salt
        }
        let salt = Passphrase.randomSalt()
        try connection.query("INSERT INTO installation (one, codename_salt) VALUES (1, ?)", [.blob(salt)])
        return salt
    }
}
