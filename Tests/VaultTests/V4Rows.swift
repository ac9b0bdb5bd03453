@testable import Vault

/// Secrets and receipts as releases 1 to 4 wrote them, in schema step 1's tables: their
/// statements, their sealing, their derivations. Frozen here on purpose: whatever the vault
/// writes now, this describes the rows already on disk.
enum V4Rows {
    typealias Links = WrittenLinks

    /// `table` names the tables as they are called in the file: `secret`/`receipt` before step 5,
    /// `secret_v4`/`receipt_v4` after it.
    static func insert(
        _ secret: [UInt8], passphrase: String?, now: Int64, ttl: Int64 = 3600, into connection: SQLiteConnection,
        tables: (secret: String, receipt: String) = ("secret", "receipt")
    ) throws -> Links {
        let nowMinute = now / 60, secretExpires = (now + ttl + 59) / 60, receiptExpires = (now + 2 * ttl + 59) / 60
        let links = Links(secret: .random(), receipt: .random())
        let secretKeys = DerivedKeys(token: links.secret, purpose: .secret)
        let receiptKeys = DerivedKeys(token: links.receipt, purpose: .receipt)
        let salt = passphrase.map { _ in Passphrase.randomSalt() }
        var contentKey = secretKeys.contentKey
        if let passphrase, let salt { contentKey = Passphrase.mix(passphrase, salt: salt, into: secretKeys.contentKey) }
        let secretRow: [SQLValue] = [
            .blob(secretKeys.rowID), .blob(Seal.seal(secret, key: contentKey, boundTo: secretKeys.rowID)),
            .blob(Seal.seal(receiptKeys.rowID, key: secretKeys.contentKey, boundTo: secretKeys.rowID)),
            salt.map { .blob($0) } ?? .null, .integer(secretExpires),
        ]
        try connection.query(
            "INSERT INTO \(tables.secret) (id, sealed, receipt_ref, salt, expires_minute) VALUES (?, ?, ?, ?, ?)", secretRow)
        let receiptRow: [SQLValue] = [
            .blob(receiptKeys.rowID), .blob(Seal.seal(links.secret.bytes, key: receiptKeys.contentKey, boundTo: receiptKeys.rowID)),
            .integer(0), .integer(salt == nil ? 0 : 1), .integer(ttl), .integer(nowMinute), .integer(nowMinute),
            .integer(secretExpires), .integer(receiptExpires),
        ]
        try connection.query(
            """
            INSERT INTO \(tables.receipt) (id, sealed_link, state, passphrase_required, ttl, created_minute,
                                 updated_minute, secret_expires_minute, expires_minute)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, receiptRow)
        return links
    }
}
