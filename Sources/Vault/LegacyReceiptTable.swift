/// The receipts written before schema step 5, in their v4 table (`receipt_v4`, step 1's layout):
/// state and minutes in the clear. Read and settled as v4 did until they expire; no new row is
/// written here (docs/decisions/0021-unlinkable-rows-and-padding.md).
enum LegacyReceiptTable {
    /// A live v4 receipt row, column by column.
    struct Stored {
        /// The share token (and, for generated passwords, the password) under the receipt key;
        /// nil once the secret is read, burned or expired.
        let sealedLink: [UInt8]?
        let state: ReceiptTable.StoredState
        let passphraseRequired: Bool
        let ttl: Int64
        let createdMinute: Int64
        let updatedMinute: Int64
        let secretExpiresMinute: Int64
        let expiresMinute: Int64

        /// Nil for a row whose columns do not hold what v4 wrote: such a receipt shows nothing.
        init?(_ row: SQLRow) {
            guard let state = row.integer("state").flatMap(ReceiptTable.StoredState.init(rawValue:)),
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

    static func live(_ id: [UInt8], at minute: Int64, in connection: SQLiteConnection) throws -> Stored? {
        try connection.query(
            """
            SELECT sealed_link, state, passphrase_required, ttl, created_minute, updated_minute,
                   secret_expires_minute, expires_minute
            FROM receipt_v4 WHERE id = ? AND expires_minute > ?
            """, [.blob(id), .integer(minute)]
        ).first.flatMap(Stored.init)
    }

    /// Records that the secret was read or burned, and forgets the link it no longer leads anywhere.
    static func settle(_ id: [UInt8], as state: ReceiptTable.StoredState, at minute: Int64, in connection: SQLiteConnection) throws {
        try connection.query(
            "UPDATE receipt_v4 SET state = ?, sealed_link = NULL, updated_minute = ? WHERE id = ?",
            [.integer(state.rawValue), .integer(minute), .blob(id)])
    }

    /// Forgets the links of expired secrets and deletes expired receipts; answers what each
    /// deleted receipt charged the quota.
    static func sweep(at minute: Int64, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "UPDATE receipt_v4 SET sealed_link = NULL WHERE sealed_link IS NOT NULL AND secret_expires_minute <= ?",
            [.integer(minute)])
        return try connection.query("DELETE FROM receipt_v4 WHERE expires_minute <= ? RETURNING expires_minute", [.integer(minute)])
            .compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` receipts, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM receipt_v4 WHERE id IN (SELECT id FROM receipt_v4 LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query("SELECT expires_minute, count(*) AS row_count FROM receipt_v4 GROUP BY expires_minute")
            .compactMap(StorageCharge.init)
    }

    /// The sender's view of a v4 receipt, as v4 showed it.
    static func receipt(from stored: Stored, keys: DerivedKeys, nowMinute: Int64) -> Receipt {
        var state = stored.state.secretState
        var secretToken: LinkToken? = nil
        var senderCopy: [UInt8]? = nil
        if state == .new {
            if stored.secretExpiresMinute <= nowMinute {
                state = .expired
            } else if let sealed = stored.sealedLink,
                      var payload = Seal.open(sealed, key: keys.contentKey, boundTo: keys.rowID),
                      payload.count >= LinkToken.byteCount {
                secretToken = LinkToken(bytes: Array(payload[..<LinkToken.byteCount]))
                if payload.count > LinkToken.byteCount { senderCopy = Array(payload[LinkToken.byteCount...]) }
                Sodium.wipe(&payload)
            }
        }
        return Receipt(
            state: state, secretToken: secretToken, senderCopy: senderCopy,
            passphraseRequired: stored.passphraseRequired, ttl: Int(stored.ttl),
            createdMinute: stored.createdMinute, updatedMinute: stored.updatedMinute,
            secretExpiresMinute: stored.secretExpiresMinute, receiptExpiresMinute: stored.expiresMinute)
    }
}
