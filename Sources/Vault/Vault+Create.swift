extension Vault {
    /// Stores a secret and returns its two links.
    ///
    /// With `keepSenderCopy` the receipt also keeps the secret (sealed under the receipt key, at
    /// most ``ReceiptPayload/maxSenderCopyBytes``) until it is read: for generated passwords,
    /// which the sender has never seen.
    ///
    /// The two rows share nothing in the clear: each has its own sweep hour, drawn on its own,
    /// and every other column is a KDF output, random or sealed at a class length
    /// (docs/decisions/0021-unlinkable-rows-and-padding.md).
    public func create(
        secret: [UInt8], passphrase: String?, ttl requestedTTL: Int?, keepSenderCopy: Bool = false
    ) async throws -> CreatedSecret {
        guard !secret.isEmpty else { throw VaultError.emptySecret }
        guard secret.count <= configuration.maxSecretBytes else {
            throw VaultError.secretTooLarge(limit: configuration.maxSecretBytes)
        }
        if keepSenderCopy, secret.count > ReceiptPayload.maxSenderCopyBytes {
            throw VaultError.secretTooLarge(limit: ReceiptPayload.maxSenderCopyBytes)
        }
        let passphrase = passphrase.flatMap { $0.isEmpty ? nil : $0 }
        if let passphrase, passphrase.utf8.count > configuration.maxPassphraseLength {
            throw VaultError.passphraseTooLong(limit: configuration.maxPassphraseLength)
        }
        let ttl = configuration.clampedTTL(requestedTTL)
        let now = clock.now()
        let nowMinute = Self.minute(now)
        let secretExpires = Self.minuteRoundedUp(now + Int64(ttl))
        let receiptExpires = Self.minuteRoundedUp(now + 2 * Int64(ttl))

        let secretToken = LinkToken.random()
        let receiptToken = LinkToken.random()
        let secretKeys = DerivedKeys(token: secretToken, purpose: .secret)
        let receiptKeys = DerivedKeys(token: receiptToken, purpose: .receipt)
        let outcomeKey = DerivedKeys.receiptOutcomeKey(receiptToken)

        // A salt for every row, so that a passphrase shows only in the sealed header.
        let salt = Passphrase.randomSalt()
        var contentKey = secretKeys.contentKey
        if let passphrase {
            let tokenKey = secretKeys.contentKey
            contentKey = try await stretch { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
        }
        let sealed = Seal.seal(
            secret, paddedTo: SealedPadding.secretClass(secret.count), key: contentKey, boundTo: secretKeys.rowID)
        let header = SecretHeader(
            expiresMinute: secretExpires, attemptsTaken: 0, passphraseRequired: passphrase != nil,
            receiptID: receiptKeys.rowID, receiptOutcomeKey: outcomeKey.withUnsafeBytes { Array($0) }
        ).sealed(with: secretKeys)
        let payload = ReceiptPayload(
            shareToken: secretToken, senderCopy: keepSenderCopy ? secret : nil, passphraseRequired: passphrase != nil,
            ttl: Int64(ttl), createdMinute: nowMinute, secretExpiresMinute: secretExpires,
            receiptExpiresMinute: receiptExpires
        ).sealed(with: receiptKeys)
        let outcome = ReceiptOutcome(state: .new, minute: 0).sealed(with: outcomeKey, receiptID: receiptKeys.rowID)
        let secretSweep = SweepHour.drawn(after: secretExpires * 60)
        let receiptSweep = SweepHour.drawn(after: receiptExpires * 60)

        // Charged until their sweep hours: the rows take room on disk until the sweep deletes them.
        let charge = StorageCharge(bytes: sealed.count, expiresMinute: secretSweep * 60)
        let receiptCharged = receiptSweep * 60
        guard reserveRoom(for: charge, ttl: ttl, receiptExpiresMinute: receiptCharged) else { throw VaultError.full }
        let secretID = secretKeys.rowID, receiptID = receiptKeys.rowID
        do {
            try await storeWrite { connection in
                try SecretTable.insert(
                    id: secretID, salt: salt, header: header, sealed: sealed, sweepHour: secretSweep, in: connection)
                try ReceiptTable.insert(
                    id: receiptID, payload: payload, outcome: outcome, sweepHour: receiptSweep, in: connection)
            }
        } catch {
            releaseRoom(for: charge, receiptExpiresMinute: receiptCharged)
            throw error
        }
        counters.withLock { $0.created += 1 }
        let receipt = Receipt(
            state: .new, secretToken: secretToken, senderCopy: keepSenderCopy ? secret : nil,
            passphraseRequired: passphrase != nil, ttl: ttl,
            createdMinute: nowMinute, updatedMinute: nowMinute,
            secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
        return CreatedSecret(secretToken: secretToken, receiptToken: receiptToken, receipt: receipt)
    }
}
