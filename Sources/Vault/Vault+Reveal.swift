extension Vault {
    /// Whether a secret can still be revealed, and whether it needs a passphrase. Changes nothing,
    /// so a link-preview bot that only fetches the confirmation page burns nothing.
    public func preview(_ token: LinkToken) async throws -> SecretPreview? {
        let rowID = DerivedKeys(token: token, purpose: .secret).rowID
        let nowMinute = Self.minute(clock.now())
        return try await storeRun { try SecretTable.preview(rowID, at: nowMinute, in: $0) }
    }

    /// Reveals and destroys a secret. Of any number of concurrent calls for one secret, exactly one
    /// gets `.revealed`: the row is deleted in the same serialised step that picks the winner.
    public func reveal(_ token: LinkToken, passphrase: String?) async throws -> RevealOutcome {
        let keys = DerivedKeys(token: token, purpose: .secret)
        let rowID = keys.rowID
        let passphrase = passphrase.flatMap { $0.isEmpty ? nil : $0 }
        let nowMinute = Self.minute(clock.now())

        // Without a passphrase on the row, look-up and delete are one job: nobody can slip in between.
        let found = try await storeWrite { connection -> SecretTable.Stored? in
            guard let stored = try SecretTable.live(rowID, at: nowMinute, in: connection) else { return nil }
            if stored.salt == nil {
                try SecretTable.delete(rowID, in: connection)
                try Self.settleReceipt(of: stored, keys: keys, as: .received, at: nowMinute, in: connection)
            }
            return stored
        }

        guard let found else {
            if let passphrase {
                // Unknown links cost the same as wrong passphrases, so timing tells a guesser nothing.
                let decoyKey = keys.contentKey
                _ = await argon2.run { Passphrase.mix(passphrase, salt: Passphrase.randomSalt(), into: decoyKey) }
            }
            return .unavailable
        }
        guard let salt = found.salt else {
            removed(bytes: found.sealed.count, as: \.revealed)
            return Seal.open(found.sealed, key: keys.contentKey, boundTo: rowID).map(RevealOutcome.revealed) ?? .unavailable
        }
        guard let passphrase else {
            return .wrongPassphrase(attemptsLeft: configuration.maxPassphraseAttempts)
        }
        guard salt.count == Passphrase.saltLength else { return .unavailable }  // a damaged row opens for nobody

        // Argon2 runs outside the store's queue, so the winner is decided afterwards: the one job
        // whose delete still finds the row.
        let tokenKey = keys.contentKey
        let contentKey = await argon2.run { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
        if let plaintext = Seal.open(found.sealed, key: contentKey, boundTo: rowID) {
            let won = try await storeWrite { connection in
                guard try SecretTable.deleteIfLive(rowID, at: nowMinute, in: connection) else { return false }
                try Self.settleReceipt(of: found, keys: keys, as: .received, at: nowMinute, in: connection)
                return true
            }
            guard won else { return .unavailable }
            removed(bytes: found.sealed.count, as: \.revealed)
            return .revealed(plaintext)
        }
        return try await countFailedAttempt(found, keys: keys, minute: nowMinute)
    }

    /// Counts a wrong passphrase; the attempt that reaches the limit burns the secret.
    private func countFailedAttempt(_ found: SecretTable.Stored, keys: DerivedKeys, minute: Int64) async throws -> RevealOutcome {
        let rowID = keys.rowID
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)
        let attempts = try await storeWrite { connection -> Int64? in
            guard let attempts = try SecretTable.countFailedAttempt(rowID, in: connection) else { return nil }
            if attempts >= maxAttempts {
                try SecretTable.delete(rowID, in: connection)
                try Self.settleReceipt(of: found, keys: keys, as: .burned, at: minute, in: connection)
            }
            return attempts
        }
        guard let attempts else { return .unavailable }
        if attempts >= maxAttempts {
            removed(bytes: found.sealed.count, as: \.burned)
            return .unavailable
        }
        return .wrongPassphrase(attemptsLeft: Int(maxAttempts - attempts))
    }

    /// Settles the receipt of a secret that is going: only the share token's key opens the
    /// reference to it, so the database never links the two rows in the clear.
    private static func settleReceipt(
        of stored: SecretTable.Stored, keys: DerivedKeys, as state: ReceiptTable.StoredState, at minute: Int64,
        in connection: SQLiteConnection
    ) throws {
        guard var receiptID = Seal.open(stored.receiptReference, key: keys.contentKey, boundTo: keys.rowID) else { return }
        defer { Sodium.wipe(&receiptID) }
        try ReceiptTable.settle(receiptID, as: state, at: minute, in: connection)
    }
}
