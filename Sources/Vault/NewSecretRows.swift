/// The two rows of one create, sealed for one pair of tokens: the secret's and the receipt's
/// (docs/decisions/0021-unlinkable-rows-and-padding.md). Every sealed value is bound to its row
/// id, so rows for other tokens are sealed anew, never re-keyed.
struct NewSecretRows: Sendable {
    /// What the create decided before any token was drawn; the same for every pair it tries.
    struct Terms: Sendable {
        let secret: [UInt8]
        let passphraseRequired: Bool
        let keepSenderCopy: Bool
        let ttl: Int
        let createdMinute: Int64
        let secretExpiresMinute: Int64
        let receiptExpiresMinute: Int64
        let secretSweepHour: Int64
        let receiptSweepHour: Int64
    }

    let secretToken: LinkToken
    let receiptToken: LinkToken
    private let secretID: [UInt8]
    private let receiptID: [UInt8]
    private let salt: [UInt8]
    private let header: [UInt8]
    private let sealed: [UInt8]
    private let payload: [UInt8]
    private let outcome: [UInt8]
    private let terms: Terms

    /// `contentKey` is the secret token's content key, mixed with the passphrase when there is
    /// one under `salt`.
    init(_ terms: Terms, secretToken: LinkToken, receiptToken: LinkToken, salt: [UInt8], contentKey: SecureBytes) {
        let secretKeys = DerivedKeys(token: secretToken, purpose: .secret)
        let receiptKeys = DerivedKeys(token: receiptToken, purpose: .receipt)
        let outcomeKey = DerivedKeys.receiptOutcomeKey(receiptToken)
        self.terms = terms
        self.secretToken = secretToken
        self.receiptToken = receiptToken
        self.secretID = secretKeys.rowID
        self.receiptID = receiptKeys.rowID
        self.salt = salt
        sealed = Seal.seal(
            terms.secret, paddedTo: SealedPadding.secretClass(terms.secret.count), key: contentKey, boundTo: secretKeys.rowID)
        header = SecretHeader(
            expiresMinute: terms.secretExpiresMinute, attemptsTaken: 0, passphraseRequired: terms.passphraseRequired,
            receiptID: receiptKeys.rowID, receiptOutcomeKey: outcomeKey.withUnsafeBytes { Array($0) }
        ).sealed(with: secretKeys)
        payload = ReceiptPayload(
            shareToken: secretToken, senderCopy: terms.keepSenderCopy ? terms.secret : nil,
            passphraseRequired: terms.passphraseRequired, ttl: Int64(terms.ttl), createdMinute: terms.createdMinute,
            secretExpiresMinute: terms.secretExpiresMinute, receiptExpiresMinute: terms.receiptExpiresMinute
        ).sealed(with: receiptKeys)
        outcome = ReceiptOutcome(state: .new, minute: 0).sealed(with: outcomeKey, receiptID: receiptKeys.rowID)
    }

    /// Writes both rows; answers false, having written neither, when another row holds either
    /// key (``RowKey``), so that the create can draw other tokens.
    func insert(in connection: SQLiteConnection) throws -> Bool {
        do {
            try connection.transaction {
                try SecretTable.insert(
                    id: secretID, salt: salt, header: header, sealed: sealed, sweepHour: terms.secretSweepHour, in: connection)
                try ReceiptTable.insert(
                    id: receiptID, payload: payload, outcome: outcome, sweepHour: terms.receiptSweepHour, in: connection)
            }
            return true
        } catch let error as StorageError where error.isRowKeyTaken {
            return false
        }
    }
}
