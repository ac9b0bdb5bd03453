extension Vault {
    /// Whether a secret can still be revealed, and whether it needs a passphrase. Changes nothing,
    /// so a link-preview bot that only fetches the confirmation page burns nothing.
    public func preview(_ token: LinkToken) async throws -> SecretPreview? {
        let rowID = DerivedKeys(token: token, purpose: .secret).rowID
        let nowMinute = Self.minute(clock.now())
        return try await storeRun { try SecretTable.preview(rowID, at: nowMinute, in: $0) }
    }

    /// What the first job of a reveal found.
    private enum Lookup: Sendable {
        case none
        /// No passphrase on the row: already deleted, in the same job that found it.
        case taken(SecretTable.Stored, StorageCharge?)
        case needsPassphrase
        /// Guesses in flight hold every attempt left.
        case everyAttemptTaken
        case guarded(SecretTable.Stored, salt: [UInt8], attempt: Int64)
    }

    /// Reveals and destroys a secret. Of any number of concurrent calls for one secret, exactly one
    /// gets `.revealed`: the row is deleted in the same serialised step that picks the winner.
    ///
    /// A passphrase guess takes its attempt before its Argon2 run, so concurrent guesses get no
    /// more than `maxPassphraseAttempts` between them; a run the ``Argon2Gate`` refuses gives it
    /// back and throws ``VaultError/busy``.
    public func reveal(_ token: LinkToken, passphrase: String?) async throws -> RevealOutcome {
        let keys = DerivedKeys(token: token, purpose: .secret)
        let rowID = keys.rowID
        let passphrase = passphrase.flatMap { $0.isEmpty ? nil : $0 }
        let nowMinute = Self.minute(clock.now())
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)

        // Look-up and delete (or look-up and the attempt's reservation) are one job: nobody can
        // slip in between.
        let lookup = try await storeWrite { connection -> Lookup in
            guard let stored = try SecretTable.live(rowID, at: nowMinute, in: connection) else { return .none }
            guard let salt = stored.salt else {
                let charge = try SecretTable.delete(rowID, in: connection)
                try Self.settleReceipt(of: stored, keys: keys, as: .received, at: nowMinute, in: connection)
                return .taken(stored, charge)
            }
            guard passphrase != nil else { return .needsPassphrase }
            guard salt.count == Passphrase.saltLength else { return .none }  // a damaged row opens for nobody
            guard let attempt = try SecretTable.reserveAttempt(rowID, limit: maxAttempts, in: connection) else {
                return .everyAttemptTaken
            }
            return .guarded(stored, salt: salt, attempt: attempt)
        }

        switch lookup {
        case .none:
            if let passphrase {
                // Unknown links cost the same as wrong passphrases, so timing tells a guesser nothing.
                let decoyKey = keys.contentKey
                _ = try await stretch { Passphrase.mix(passphrase, salt: Passphrase.randomSalt(), into: decoyKey) }
            }
            return .unavailable
        case .taken(let stored, let charge):
            if let charge { removed(charge, as: \.revealed) }
            return Seal.open(stored.sealed, key: keys.contentKey, boundTo: rowID).map(RevealOutcome.revealed) ?? .unavailable
        case .needsPassphrase:
            return .wrongPassphrase(attemptsLeft: configuration.maxPassphraseAttempts)
        case .everyAttemptTaken:
            // Those guesses either reveal it or burn it; if one is refused, its attempt comes back.
            throw VaultError.busy
        case .guarded(let stored, let salt, let attempt):
            return try await check(passphrase ?? "", against: stored, salt: salt, attempt: attempt, keys: keys)
        }
    }

    /// Runs Argon2 outside the store's queue, so the winner is decided afterwards: the one job
    /// whose delete still finds the row. The clock is read again after the run, which may have
    /// waited for the gate past the secret's expiry.
    private func check(
        _ passphrase: String, against stored: SecretTable.Stored, salt: [UInt8], attempt: Int64, keys: DerivedKeys
    ) async throws -> RevealOutcome {
        let rowID = keys.rowID, tokenKey = keys.contentKey
        let contentKey: SecureBytes
        do {
            contentKey = try await stretch { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
        } catch {
            try await storeWrite { try SecretTable.refundAttempt(rowID, in: $0) }
            throw error
        }
        var plaintext = Seal.open(stored.sealed, key: contentKey, boundTo: rowID)
        if plaintext == nil, !Passphrase.isNormalized(passphrase),
           // Set before passphrases were normalised, the same keys may have given other bytes.
           // A refusal here keeps the attempt: the normalised form was checked.
           let asTyped = try? await stretch({ Passphrase.mix(passphrase, asTyped: true, salt: salt, into: tokenKey) }) {
            plaintext = Seal.open(stored.sealed, key: asTyped, boundTo: rowID)
        }
        let minute = Self.minute(clock.now())
        if let plaintext {
            let won = try await storeWrite { connection -> StorageCharge? in
                guard let charge = try SecretTable.deleteIfLive(rowID, at: minute, in: connection) else { return nil }
                try Self.settleReceipt(of: stored, keys: keys, as: .received, at: minute, in: connection)
                return charge
            }
            guard let won else { return .unavailable }
            removed(won, as: \.revealed)
            return .revealed(plaintext)
        }
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)
        guard attempt >= maxAttempts else { return .wrongPassphrase(attemptsLeft: Int(maxAttempts - attempt)) }
        // The guess that took the last attempt burns the secret.
        let burned = try await storeWrite { connection -> StorageCharge? in
            guard let charge = try SecretTable.delete(rowID, in: connection) else { return nil }
            try Self.settleReceipt(of: stored, keys: keys, as: .burned, at: minute, in: connection)
            return charge
        }
        if let burned { removed(burned, as: \.burned) }
        return .unavailable
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
