extension Vault {
    /// Stores a secret and returns its two links.
    ///
    /// With `keepSenderCopy` the receipt also keeps the secret (sealed under the receipt key) until
    /// it is read: for generated passwords, which the sender has never seen.
    public func create(
        secret: [UInt8], passphrase: String?, ttl requestedTTL: Int?, keepSenderCopy: Bool = false
    ) async throws -> CreatedSecret {
        guard !secret.isEmpty else { throw VaultError.emptySecret }
        guard secret.count <= configuration.maxSecretBytes else {
            throw VaultError.secretTooLarge(limit: configuration.maxSecretBytes)
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

        var salt: [UInt8]? = nil
        var contentKey = secretKeys.contentKey
        if let passphrase {
            let newSalt = Passphrase.randomSalt()
            let tokenKey = secretKeys.contentKey
            contentKey = try await stretch { Passphrase.mix(passphrase, salt: newSalt, into: tokenKey) }
            salt = newSalt
        }
        let sealed = Seal.seal(secret, key: contentKey, boundTo: secretKeys.rowID)
        let receiptReference = Seal.seal(receiptKeys.rowID, key: secretKeys.contentKey, boundTo: secretKeys.rowID)
        var linkPayload = secretToken.bytes + (keepSenderCopy ? secret : [])
        let sealedLink = Seal.seal(linkPayload, key: receiptKeys.contentKey, boundTo: receiptKeys.rowID)
        Sodium.wipe(&linkPayload)

        let charge = StorageCharge(bytes: sealed.count, expiresMinute: secretExpires)
        guard reserveRoom(for: charge, ttl: ttl, receiptExpiresMinute: receiptExpires) else { throw VaultError.full }
        let secretID = secretKeys.rowID, receiptID = receiptKeys.rowID, storedSalt = salt
        do {
            try await storeWrite { connection in
                try SecretTable.insert(
                    id: secretID, sealed: sealed, receiptReference: receiptReference, salt: storedSalt,
                    expiresMinute: secretExpires, in: connection)
                try ReceiptTable.insert(
                    id: receiptID, sealedLink: sealedLink, passphraseRequired: storedSalt != nil, ttl: ttl,
                    createdMinute: nowMinute, secretExpiresMinute: secretExpires, expiresMinute: receiptExpires,
                    in: connection)
            }
        } catch {
            releaseRoom(for: charge, receiptExpiresMinute: receiptExpires)
            throw error
        }
        counters.withLock { $0.created += 1 }
        let receipt = Receipt(
            state: .new, secretToken: secretToken, senderCopy: keepSenderCopy ? secret : nil,
            passphraseRequired: salt != nil, ttl: ttl,
            createdMinute: nowMinute, updatedMinute: nowMinute,
            secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
        return CreatedSecret(secretToken: secretToken, receiptToken: receiptToken, receipt: receipt)
    }
}
