extension Vault {
    /// What the sender may see through the receipt link; nil for an unknown or expired receipt.
    public func receipt(_ token: LinkToken) async throws -> Receipt? {
        let keys = DerivedKeys(token: token, purpose: .receipt)
        let rowID = keys.rowID
        let nowMinute = Self.minute(clock.now())
        let stored = try await storeRun { try ReceiptTable.live(rowID, at: nowMinute, in: $0) }
        return stored.map { Self.receipt(from: $0, keys: keys, nowMinute: nowMinute) }
    }

    /// Destroys the secret unread. Answers the receipt as it stands afterwards; nil for an unknown receipt.
    public func burn(receipt token: LinkToken) async throws -> Receipt? {
        guard let current = try await receipt(token) else { return nil }
        guard current.state == .new, let secretToken = current.secretToken else { return current }
        let receiptID = DerivedKeys(token: token, purpose: .receipt).rowID
        let secretID = DerivedKeys(token: secretToken, purpose: .secret).rowID
        let nowMinute = Self.minute(clock.now())
        let charge = try await storeWrite { connection -> StorageCharge? in
            guard let charge = try SecretTable.delete(secretID, in: connection) else { return nil }
            try ReceiptTable.settle(receiptID, as: .burned, at: nowMinute, in: connection)
            return charge
        }
        if let charge { removed(charge, as: \.burned) }
        return try await receipt(token)
    }

    /// The sender's view of a stored receipt: the link is opened only while the secret is unread
    /// and unexpired, and a link that does not open (a damaged row) is shown as none rather than a wrong one.
    private static func receipt(from stored: ReceiptTable.Stored, keys: DerivedKeys, nowMinute: Int64) -> Receipt {
        var state: SecretState
        switch stored.state {
        case .new: state = .new
        case .received: state = .received
        case .burned: state = .burned
        }
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
