/// A live receipt as the sender sees it, from either table: the sealed rows of step 5
/// (``ReceiptTable``) or a v4 row not yet expired (``LegacyReceiptTable``); its secret is in the
/// table of the same step.
struct LiveReceipt: Sendable {
    private enum Row: Sendable {
        case sealed(receiptID: [UInt8], outcomeKey: SecureBytes)
        case v4(receiptID: [UInt8])
    }

    let receipt: Receipt
    private let row: Row

    /// Nil for an unknown receipt, one past its end, or one that does not open (a damaged row).
    static func find(_ token: LinkToken, at minute: Int64, in connection: SQLiteConnection) throws -> LiveReceipt? {
        let keys = DerivedKeys(token: token, purpose: .receipt)
        let outcomeKey = DerivedKeys.receiptOutcomeKey(token)
        if let stored = try ReceiptTable.find(keys, outcomeKey: outcomeKey, in: connection) {
            return view(of: stored, at: minute).map {
                LiveReceipt(receipt: $0, row: .sealed(receiptID: keys.rowID, outcomeKey: outcomeKey))
            }
        }
        return try LegacyReceiptTable.live(keys.rowID, at: minute, in: connection).map {
            LiveReceipt(
                receipt: LegacyReceiptTable.receipt(from: $0, keys: keys, nowMinute: minute), row: .v4(receiptID: keys.rowID))
        }
    }

    /// Deletes the receipt's secret, whatever its expiry; answers what it charged the quota, nil when it was gone.
    func deleteSecret(_ secretID: [UInt8], in connection: SQLiteConnection) throws -> StorageCharge? {
        switch row {
        case .sealed: return try SecretTable.delete(secretID, in: connection)
        case .v4: return try LegacySecretTable.delete(secretID, in: connection)
        }
    }

    /// Answers how the receipt's charge on the quota moved (a v4 receipt's does not).
    func settle(as state: ReceiptTable.StoredState, at second: Int64, in connection: SQLiteConnection) throws -> ReceiptChargeMove? {
        switch row {
        case .sealed(let receiptID, let outcomeKey):
            return try ReceiptTable.settle(receiptID, outcomeKey: outcomeKey, as: state, at: second, in: connection)
        case .v4(let receiptID):
            try LegacyReceiptTable.settle(receiptID, as: state, at: second / 60, in: connection)
            return nil
        }
    }

    /// The sender's view of a sealed receipt row. A settled receipt is forgotten at its sweep hour
    /// (``ReceiptTable/settle(_:outcomeKey:as:at:in:)`` brought it forward), an unsettled one at
    /// its exact end; the share link is shown only while the secret is unread and unexpired.
    private static func view(of stored: ReceiptTable.Stored, at minute: Int64) -> Receipt? {
        let payload = stored.payload, outcome = stored.outcome
        let forgotten = outcome.state == .new
            ? payload.receiptExpiresMinute : min(payload.receiptExpiresMinute, stored.sweepHour * 60)
        guard forgotten > minute else { return nil }
        var state = outcome.state.secretState
        if state == .new, payload.secretExpiresMinute <= minute { state = .expired }
        let unread = state == .new
        return Receipt(
            state: state, secretToken: unread ? payload.shareToken : nil, senderCopy: unread ? payload.senderCopy : nil,
            passphraseRequired: payload.passphraseRequired, ttl: Int(payload.ttl),
            createdMinute: payload.createdMinute, updatedMinute: outcome.state == .new ? payload.createdMinute : outcome.minute,
            secretExpiresMinute: payload.secretExpiresMinute, receiptExpiresMinute: forgotten)
    }
}
