/// Every statement the vault runs on the `receipt` table: one row per receipt, keyed by a KDF
/// output of the receipt token (see ``Schema`` for its columns). A receipt outlives its secret,
/// so the sender can see what happened to it; it keeps the share link only while the secret is
/// unread.
enum ReceiptTable {
    /// Stored receipt states; `expired` is never stored, it is computed from the clock.
    enum StoredState: Int64 {
        case new = 0
        case received = 1
        case burned = 2
    }

    /// A live receipt row, column by column.
    struct Stored {
        /// The share token (and, for generated passwords, the password) under the receipt key;
        /// nil once the secret is read, burned or expired.
        let sealedLink: [UInt8]?
        let state: StoredState
        let passphraseRequired: Bool
        let ttl: Int64
        let createdMinute: Int64
        let updatedMinute: Int64
        let secretExpiresMinute: Int64
        let expiresMinute: Int64

        /// Nil for a row whose columns do not hold what this code wrote: such a receipt shows nothing.
        init?(_ row: SQLRow) {
            guard let state = row.integer("state").flatMap(StoredState.init(rawValue:)),
                  let passphraseRequired = row.integer("passphrase_required"), let ttl = row.integer("ttl"),
                  let created = row.integer("created_minute"), let updated = row.integer("updated_minute"),
                  let secretExpires = row.integer("secret_expires_minute"), let expires = row.integer("expires_minute")
            else { return nil }
            sealedLink = row.blob("sealed_link")
            self.state = state
            self.passphraseRequired = passphraseRequired != 0
            self.ttl = ttl
            createdMinute = created
            updatedMinute = updated
            secretExpiresMinute = secretExpires
            expiresMinute = expires
        }
    }

    static func insert(
        id: [UInt8], sealedLink: [UInt8], passphraseRequired: Bool, ttl: Int, createdMinute: Int64,
        secretExpiresMinute: Int64, expiresMinute: Int64, in connection: SQLiteConnection
    ) throws {
        try connection.query(
            """
            INSERT INTO receipt (id, sealed_link, state, passphrase_required, ttl, created_minute,
                                 updated_minute, secret_expires_minute, expires_minute)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .blob(id), .blob(sealedLink), .integer(StoredState.new.rawValue), .integer(passphraseRequired ? 1 : 0),
                .integer(Int64(ttl)), .integer(createdMinute), .integer(createdMinute),
                .integer(secretExpiresMinute), .integer(expiresMinute),
            ])
    }

    static func live(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> Stored? {
        try connection.query(
            """
            SELECT sealed_link, state, passphrase_required, ttl, created_minute, updated_minute,
                   secret_expires_minute, expires_minute
            FROM receipt WHERE id = ? AND expires_minute > ?
            """, [.blob(id), .integer(minute)]
        ).first.flatMap(Stored.init)
    }

    /// Records that the secret was read or burned, and forgets the link it no longer leads anywhere.
    static func settle(_ id: [UInt8], as state: StoredState, at minute: Int64, in connection: SQLiteConnection) throws {
        try connection.query(
            "UPDATE receipt SET state = ?, sealed_link = NULL, updated_minute = ? WHERE id = ?",
            [.integer(state.rawValue), .integer(minute), .blob(id)])
    }

    /// Forgets the links of expired secrets and deletes expired receipts; answers what each
    /// deleted receipt charged the quota (its expiry: receipts are charged a constant size).
    static func sweep(at minute: Int64, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "UPDATE receipt SET sealed_link = NULL WHERE sealed_link IS NOT NULL AND secret_expires_minute <= ?",
            [.integer(minute)])
        return try connection.query("DELETE FROM receipt WHERE expires_minute <= ? RETURNING expires_minute", [.integer(minute)])
            .compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` receipts, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM receipt WHERE id IN (SELECT id FROM receipt LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    /// What the quota counts, per expiry minute: every stored receipt until the sweep removes it.
    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query("SELECT expires_minute, count(*) AS row_count FROM receipt GROUP BY expires_minute")
            .compactMap(StorageCharge.init)
    }
}
