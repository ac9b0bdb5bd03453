@testable import Vault

/// Secrets and receipts as schema step 5 wrote them: 32-byte row ids as keys of WITHOUT ROWID
/// tables, every other column as the vault still seals it. Frozen here on purpose: whatever the
/// vault writes now, this describes the rows already on disk.
enum Step5Rows {
    typealias Links = WrittenLinks

    static func insert(
        _ secret: [UInt8], passphrase: String?, now: Int64, ttl: Int64 = 3600, into connection: SQLiteConnection
    ) throws -> Links {
        let secretExpires = (now + ttl + 59) / 60, receiptExpires = (now + 2 * ttl + 59) / 60
        let links = Links(secret: .random(), receipt: .random())
        let secretKeys = DerivedKeys(token: links.secret, purpose: .secret)
        let receiptKeys = DerivedKeys(token: links.receipt, purpose: .receipt)
        let outcomeKey = DerivedKeys.receiptOutcomeKey(links.receipt)
        let salt = Passphrase.randomSalt()
        var contentKey = secretKeys.contentKey
        if let passphrase { contentKey = Passphrase.mix(passphrase, salt: salt, into: secretKeys.contentKey) }
        let header = SecretHeader(
            expiresMinute: secretExpires, attemptsTaken: 0, passphraseRequired: passphrase != nil,
            receiptID: receiptKeys.rowID, receiptOutcomeKey: outcomeKey.withUnsafeBytes { Array($0) })
        let payload = ReceiptPayload(
            shareToken: links.secret, senderCopy: nil, passphraseRequired: passphrase != nil, ttl: ttl,
            createdMinute: now / 60, secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
        let sealed = Seal.seal(secret, paddedTo: SealedPadding.secretClass(secret.count), key: contentKey, boundTo: secretKeys.rowID)
        try connection.query(
            "INSERT INTO secret (id, salt, header, sealed, sweep_hour) VALUES (?, ?, ?, ?, ?)",
            [
                .blob(secretKeys.rowID), .blob(salt), .blob(header.sealed(with: secretKeys)), .blob(sealed),
                .integer(SweepHour.drawn(after: secretExpires * 60)),
            ])
        try connection.query(
            "INSERT INTO receipt (id, payload, outcome, sweep_hour) VALUES (?, ?, ?, ?)",
            [
                .blob(receiptKeys.rowID), .blob(payload.sealed(with: receiptKeys)),
                .blob(ReceiptOutcome(state: .new, minute: 0).sealed(with: outcomeKey, receiptID: receiptKeys.rowID)),
                .integer(SweepHour.drawn(after: receiptExpires * 60)),
            ])
        return links
    }

    /// A file at step 5, as a release of that step leaves it before any row is written.
    static func database(at path: String) throws -> SQLiteConnection {
        try olderDatabase(at: path, version: 5)
    }
}
