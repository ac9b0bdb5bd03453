extension Vault {
    /// Whether a secret can still be revealed, and whether it needs a passphrase. Changes nothing,
    /// so a link-preview bot that only fetches the confirmation page burns nothing.
    public func preview(_ token: LinkToken) async throws -> SecretPreview? {
        let keys = DerivedKeys(token: token, purpose: .secret)
        let nowMinute = Self.minute(clock.now())
        return try await storeRun { connection in
            try LiveSecret.find(keys, at: nowMinute, in: connection).map {
                SecretPreview(passphraseRequired: $0.passphraseSalt != nil, expiresMinute: $0.expiresMinute)
            }
        }
    }

    /// What the first job of a reveal found.
    private enum Lookup: Sendable {
        case none
        /// No passphrase on the row: already deleted, in the same job that found it.
        case taken(LiveSecret, StorageCharge?, ReceiptChargeMove?)
        case needsPassphrase
        /// Guesses in flight hold every attempt left.
        case everyAttemptTaken
        case guarded(LiveSecret, salt: [UInt8], attempt: Int64)
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
        let now = clock.now()
        let nowMinute = Self.minute(now)
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)

        // Look-up and delete (or look-up and the attempt's reservation) are one job: nobody can
        // slip in between. The exact expiry is in the row's sealed header: a row past it opens
        // for nobody, however late its sweep hour.
        let lookup = try await storeWrite { connection -> Lookup in
            guard let stored = try LiveSecret.find(keys, at: nowMinute, in: connection) else { return .none }
            guard let salt = stored.passphraseSalt else {
                let charge = try stored.delete(rowID, in: connection)
                let move = try stored.settleReceipt(keys: keys, as: .received, at: now, in: connection)
                return .taken(stored, charge, move)
            }
            guard passphrase != nil else { return .needsPassphrase }
            guard salt.count == Passphrase.saltLength else { return .none }  // a damaged row opens for nobody
            guard let attempt = try stored.reserveAttempt(keys, limit: maxAttempts, in: connection) else {
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
        case .taken(let stored, let charge, let move):
            if let charge { removed(charge, receipt: move, as: \.revealed) }
            return stored.open(with: keys.contentKey, boundTo: rowID).map(RevealOutcome.revealed) ?? .unavailable
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
        _ passphrase: String, against stored: LiveSecret, salt: [UInt8], attempt: Int64, keys: DerivedKeys
    ) async throws -> RevealOutcome {
        let rowID = keys.rowID, tokenKey = keys.contentKey
        let contentKey: SecureBytes
        do {
            contentKey = try await stretch { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
        } catch {
            try await storeWrite { try stored.refundAttempt(keys, in: $0) }
            throw error
        }
        var plaintext = stored.open(with: contentKey, boundTo: rowID)
        if plaintext == nil, !Passphrase.isNormalized(passphrase),
           // Set before passphrases were normalised, the same keys may have given other bytes.
           // A refusal here keeps the attempt: the normalised form was checked.
           let asTyped = try? await stretch({ Passphrase.mix(passphrase, asTyped: true, salt: salt, into: tokenKey) }) {
            plaintext = stored.open(with: asTyped, boundTo: rowID)
        }
        let now = clock.now()
        if let plaintext {
            // The one job whose delete still finds the row wins, if the secret has not expired
            // while Argon2 ran.
            let won = try await storeWrite { connection -> (StorageCharge, ReceiptChargeMove?)? in
                guard stored.expiresMinute > Self.minute(now), let charge = try stored.delete(rowID, in: connection) else {
                    return nil
                }
                return (charge, try stored.settleReceipt(keys: keys, as: .received, at: now, in: connection))
            }
            guard let won else { return .unavailable }
            removed(won.0, receipt: won.1, as: \.revealed)
            return .revealed(plaintext)
        }
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)
        guard attempt >= maxAttempts else { return .wrongPassphrase(attemptsLeft: Int(maxAttempts - attempt)) }
        // The guess that took the last attempt burns the secret.
        let burned = try await storeWrite { connection -> (StorageCharge, ReceiptChargeMove?)? in
            guard let charge = try stored.delete(rowID, in: connection) else { return nil }
            return (charge, try stored.settleReceipt(keys: keys, as: .burned, at: now, in: connection))
        }
        if let burned { removed(burned.0, receipt: burned.1, as: \.burned) }
        return .unavailable
    }
}
