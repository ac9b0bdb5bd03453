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

        let terms = NewSecretRows.Terms(
            secret: secret, passphraseRequired: passphrase != nil, keepSenderCopy: keepSenderCopy, ttl: ttl,
            createdMinute: nowMinute, secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires,
            secretSweepHour: SweepHour.drawn(after: secretExpires * 60),
            receiptSweepHour: SweepHour.drawn(after: receiptExpires * 60))

        // Charged until their sweep hours: the rows take room on disk until the sweep deletes them.
        let charge = StorageCharge(
            bytes: SealedPadding.secretClass(secret.count) + Seal.overhead, expiresMinute: terms.secretSweepHour * 60)
        let receiptCharged = terms.receiptSweepHour * 60
        guard reserveRoom(for: charge, ttl: ttl, receiptExpiresMinute: receiptCharged) else { throw VaultError.full }
        let rows: NewSecretRows
        do {
            rows = try await storeWithFreeRowKeys(terms, passphrase: passphrase)
        } catch {
            releaseRoom(for: charge, receiptExpiresMinute: receiptCharged)
            throw error
        }
        counters.withLock { $0.created += 1 }
        let receipt = Receipt(
            state: .new, secretToken: rows.secretToken, senderCopy: keepSenderCopy ? secret : nil,
            passphraseRequired: passphrase != nil, ttl: ttl,
            createdMinute: nowMinute, updatedMinute: nowMinute,
            secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
        return CreatedSecret(secretToken: rows.secretToken, receiptToken: rows.receiptToken, receipt: receipt)
    }

    /// How many pairs of tokens a create tries before it gives up: each pair meets a taken row
    /// key with a chance of about rows / 2^62, so a second draw is already all but unheard of.
    static let rowKeyDraws = 4

    /// Where a create's tokens come from: a test sets it to make a create meet a taken row key.
    @TaskLocal static var drawToken: @Sendable () -> LinkToken = { LinkToken.random() }

    /// Seals and stores the rows for fresh tokens, drawing again when either row key is taken
    /// (``RowKey``); the passphrase is stretched anew for each pair, as it is bound to the token.
    private func storeWithFreeRowKeys(_ terms: NewSecretRows.Terms, passphrase: String?) async throws -> NewSecretRows {
        for _ in 0..<Self.rowKeyDraws {
            let secretToken = Self.drawToken(), receiptToken = Self.drawToken()
            // A salt for every row, so that a passphrase shows only in the sealed header.
            let salt = Passphrase.randomSalt()
            var contentKey = DerivedKeys(token: secretToken, purpose: .secret).contentKey
            if let passphrase {
                let tokenKey = contentKey
                contentKey = try await stretch { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
            }
            let rows = NewSecretRows(
                terms, secretToken: secretToken, receiptToken: receiptToken, salt: salt, contentKey: contentKey)
            if try await storeWrite({ try rows.insert(in: $0) }) { return rows }
        }
        throw VaultError.storage("every one of \(Self.rowKeyDraws) pairs of tokens drawn met a row key already taken")
    }
}
