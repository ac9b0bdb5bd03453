/// What a secret row keeps under its token-only key, beside the secret itself: everything the
/// reveal must know before (and without) a passphrase, and nothing in the clear.
///
/// Sealed at a constant length, bound to the row id (with its own associated data, so it cannot
/// be swapped with the row's `sealed` column). The reveal rewrites it to count a passphrase
/// attempt, so neither the passphrase nor the failed attempts show in the row.
struct SecretHeader: Sendable {
    /// The exact end, in whole minutes: the reveal opens nothing from this minute on, whatever
    /// the row's sweep hour.
    let expiresMinute: Int64
    /// Passphrase attempts taken (see ``SecretTable/reserveAttempt(_:keys:limit:in:)``).
    var attemptsTaken: Int64
    let passphraseRequired: Bool
    /// The receipt's row id, so that a reveal or a burn can record its outcome.
    let receiptID: [UInt8]
    /// The key of that receipt's outcome (``DerivedKeys/receiptOutcomeKey(_:)``).
    let receiptOutcomeKey: [UInt8]

    /// 8 + 8 + 1 + 32 + 32 bytes of fields, padded to one class.
    static let paddedLength = 128

    static func associatedData(_ rowID: [UInt8]) -> [UInt8] {
        rowID + Array("header".utf8)
    }

    func sealed(with keys: DerivedKeys) -> [UInt8] {
        var fields = PayloadWriter()
        fields.integer(expiresMinute)
        fields.integer(attemptsTaken)
        fields.flag(passphraseRequired)
        fields.raw(receiptID)
        fields.raw(receiptOutcomeKey)
        defer { fields.wipe() }
        return Seal.seal(fields.bytes, paddedTo: Self.paddedLength, key: keys.contentKey, boundTo: Self.associatedData(keys.rowID))
    }

    /// Nil when the header does not open under the token's key, or holds other fields (a damaged row).
    init?(opening sealed: [UInt8], with keys: DerivedKeys) {
        guard var bytes = Seal.openPadded(sealed, key: keys.contentKey, boundTo: Self.associatedData(keys.rowID)) else { return nil }
        defer { Sodium.wipe(&bytes) }
        var fields = PayloadReader(bytes)
        guard let expires = fields.integer(), let attempts = fields.integer(), let passphrase = fields.flag(),
              let receiptID = fields.raw(DerivedKeys.rowIDLength), let outcomeKey = fields.raw(32), fields.isAtEnd
        else { return nil }
        self.init(
            expiresMinute: expires, attemptsTaken: attempts, passphraseRequired: passphrase, receiptID: receiptID,
            receiptOutcomeKey: outcomeKey)
    }

    init(expiresMinute: Int64, attemptsTaken: Int64, passphraseRequired: Bool, receiptID: [UInt8], receiptOutcomeKey: [UInt8]) {
        self.expiresMinute = expiresMinute
        self.attemptsTaken = attemptsTaken
        self.passphraseRequired = passphraseRequired
        self.receiptID = receiptID
        self.receiptOutcomeKey = receiptOutcomeKey
    }
}
