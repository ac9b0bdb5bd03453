extension Vault {
    /// What the sender may see through the receipt link; nil for an unknown or expired receipt.
    public func receipt(_ token: LinkToken) async throws -> Receipt? {
        let nowMinute = Self.minute(clock.now())
        let found = try await storeRun { try LiveReceipt.find(token, at: nowMinute, in: $0) }
        return found?.receipt
    }

    /// Destroys the secret unread. Answers the receipt as it stands afterwards; nil for an unknown receipt.
    public func burn(receipt token: LinkToken) async throws -> Receipt? {
        let now = clock.now()
        let found = try await storeRun { try LiveReceipt.find(token, at: Self.minute(now), in: $0) }
        guard let found else { return nil }
        guard found.receipt.state == .new, let secretToken = found.receipt.secretToken else { return found.receipt }
        let secretKeys = DerivedKeys(token: secretToken, purpose: .secret)
        let removal = try await storeWrite { connection -> (StorageCharge, ReceiptChargeMove?)? in
            guard let charge = try found.deleteSecret(secretKeys.rowID, in: connection) else { return nil }
            return (charge, try found.settle(as: .burned, at: now, in: connection))
        }
        if let removal { removed(removal.0, receipt: removal.1, as: \.burned) }
        return try await receipt(token)
    }
}
