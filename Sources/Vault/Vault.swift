#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Secrets at rest: encrypted with keys that only the links carry, revealed at most once.
///
/// The vault knows nothing of HTTP. Every method is safe to call concurrently; database work
/// runs on the store's serial queue and passphrase work behind the ``Argon2Gate``.
public final class Vault: Sendable {
    public let configuration: VaultConfiguration
    private let store: SecretStore
    private let argon2: Argon2Gate
    public let clock: VaultClock
    private let counters: Mutex<VaultStatistics>

    public static let systemClock = VaultClock { Int64(time(nil)) }

    public init(configuration: VaultConfiguration, clock: VaultClock = Vault.systemClock) throws {
        Sodium.ensureReady()
        self.configuration = configuration
        self.clock = clock
        self.store = try SecretStore(configuration: configuration)
        self.argon2 = Argon2Gate(limit: configuration.argon2Concurrency)
        let totals = try Self.storedTotals(store: store)
        self.counters = Mutex(VaultStatistics(stored: totals.count, storedBytes: totals.bytes))
    }

    // MARK: Create

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
            contentKey = await argon2.run { Passphrase.mix(passphrase, salt: newSalt, into: tokenKey) }
            salt = newSalt
        }
        let sealed = Seal.seal(secret, key: contentKey, boundTo: secretKeys.rowID)
        let receiptReference = Seal.seal(receiptKeys.rowID, key: secretKeys.contentKey, boundTo: secretKeys.rowID)
        var linkPayload = secretToken.bytes + (keepSenderCopy ? secret : [])
        let sealedLink = Seal.seal(linkPayload, key: receiptKeys.contentKey, boundTo: receiptKeys.rowID)
        Sodium.wipe(&linkPayload)

        let limits = (count: configuration.maxSecrets, bytes: configuration.maxStoredBytes)
        let admitted = counters.withLock { totals in
            guard totals.stored < limits.count, totals.storedBytes + sealed.count <= limits.bytes else {
                totals.refusedFull += 1
                return false
            }
            // Reserve the room now so that concurrent creates cannot overshoot the quota together.
            totals.stored += 1
            totals.storedBytes += sealed.count
            return true
        }
        guard admitted else { throw VaultError.full }

        let secretRow: [SQLValue] = [
            .blob(secretKeys.rowID), .blob(sealed), .blob(receiptReference),
            salt.map { .blob($0) } ?? .null, .integer(secretExpires),
        ]
        let receiptRow: [SQLValue] = [
            .blob(receiptKeys.rowID), .blob(sealedLink), .integer(Schema.StoredState.new.rawValue),
            .integer(salt == nil ? 0 : 1), .integer(Int64(ttl)), .integer(nowMinute), .integer(nowMinute),
            .integer(secretExpires), .integer(receiptExpires),
        ]
        do {
            try await store.write { connection in
                try connection.query(
                    "INSERT INTO secret (id, sealed, receipt_ref, salt, expires_minute) VALUES (?, ?, ?, ?, ?)", secretRow)
                try connection.query(
                    """
                    INSERT INTO receipt (id, sealed_link, state, passphrase_required, ttl, created_minute,
                                         updated_minute, secret_expires_minute, expires_minute)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, receiptRow)
            }
        } catch {
            counters.withLock { totals in
                totals.stored -= 1
                totals.storedBytes -= sealed.count
            }
            throw Self.vaultError(error)
        }
        counters.withLock { $0.created += 1 }
        let receipt = Receipt(
            state: .new, secretToken: secretToken, senderCopy: keepSenderCopy ? secret : nil,
            passphraseRequired: salt != nil, ttl: ttl,
            createdMinute: nowMinute, updatedMinute: nowMinute,
            secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
        return CreatedSecret(secretToken: secretToken, receiptToken: receiptToken, receipt: receipt)
    }

    // MARK: Reveal

    /// Whether a secret can still be revealed, and whether it needs a passphrase. Changes nothing.
    public func preview(_ token: LinkToken) async throws -> SecretPreview? {
        let rowID = DerivedKeys(token: token, purpose: .secret).rowID
        let nowMinute = Self.minute(clock.now())
        let row = try await storeRun { connection in
            try connection.query(
                "SELECT salt IS NOT NULL, expires_minute FROM secret WHERE id = ? AND expires_minute > ?",
                [.blob(rowID), .integer(nowMinute)]
            ).first
        }
        guard let row, let hasSalt = row[0].integer, let expires = row[1].integer else { return nil }
        return SecretPreview(passphraseRequired: hasSalt != 0, expiresMinute: expires)
    }

    /// Reveals and destroys a secret. Of any number of concurrent calls for one secret, exactly one
    /// gets `.revealed`: the row is deleted in the same serialised step that picks the winner.
    public func reveal(_ token: LinkToken, passphrase: String?) async throws -> RevealOutcome {
        let keys = DerivedKeys(token: token, purpose: .secret)
        let rowID = keys.rowID
        let passphrase = passphrase.flatMap { $0.isEmpty ? nil : $0 }
        let nowMinute = Self.minute(clock.now())

        // Without a passphrase on the row, look-up and delete are one job: nobody can slip in between.
        let found = try await storeWrite { connection -> StoredSecret? in
            guard let row = try connection.query(
                "SELECT sealed, receipt_ref, salt FROM secret WHERE id = ? AND expires_minute > ?",
                [.blob(rowID), .integer(nowMinute)]
            ).first else { return nil }
            let stored = StoredSecret(row: row)
            if stored.salt == nil {
                try connection.query("DELETE FROM secret WHERE id = ?", [.blob(rowID)])
                try Self.markReceipt(stored, keys: keys, state: .received, minute: nowMinute, in: connection)
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

        let tokenKey = keys.contentKey
        let contentKey = await argon2.run { Passphrase.mix(passphrase, salt: salt, into: tokenKey) }
        if let plaintext = Seal.open(found.sealed, key: contentKey, boundTo: rowID) {
            let won = try await storeWrite { connection in
                try connection.query(
                    "DELETE FROM secret WHERE id = ? AND expires_minute > ?", [.blob(rowID), .integer(nowMinute)])
                guard connection.changes == 1 else { return false }
                try Self.markReceipt(found, keys: keys, state: .received, minute: nowMinute, in: connection)
                return true
            }
            guard won else { return .unavailable }
            removed(bytes: found.sealed.count, as: \.revealed)
            return .revealed(plaintext)
        }
        return try await countFailedAttempt(found, keys: keys, minute: nowMinute)
    }

    private func countFailedAttempt(_ found: StoredSecret, keys: DerivedKeys, minute: Int64) async throws -> RevealOutcome {
        let rowID = keys.rowID
        let maxAttempts = Int64(configuration.maxPassphraseAttempts)
        let attempts = try await storeWrite { connection -> Int64? in
            guard let attempts = try connection.query(
                "UPDATE secret SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts",
                [.blob(rowID)]
            ).first?.first?.integer else { return nil }
            if attempts >= maxAttempts {
                try connection.query("DELETE FROM secret WHERE id = ?", [.blob(rowID)])
                try Self.markReceipt(found, keys: keys, state: .burned, minute: minute, in: connection)
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

    // MARK: Receipts

    public func receipt(_ token: LinkToken) async throws -> Receipt? {
        let keys = DerivedKeys(token: token, purpose: .receipt)
        let rowID = keys.rowID
        let now = clock.now()
        let row = try await storeRun { connection in
            try connection.query(
                """
                SELECT sealed_link, state, passphrase_required, ttl, created_minute, updated_minute,
                       secret_expires_minute, expires_minute
                FROM receipt WHERE id = ? AND expires_minute > ?
                """, [.blob(rowID), .integer(Self.minute(now))]
            ).first
        }
        return row.flatMap { Self.receipt(from: $0, keys: keys, nowMinute: Self.minute(now)) }
    }

    /// Destroys the secret unread. Answers the receipt as it stands afterwards; nil for an unknown receipt.
    public func burn(receipt token: LinkToken) async throws -> Receipt? {
        guard let current = try await receipt(token) else { return nil }
        guard current.state == .new, let secretToken = current.secretToken else { return current }
        let receiptID = DerivedKeys(token: token, purpose: .receipt).rowID
        let secretID = DerivedKeys(token: secretToken, purpose: .secret).rowID
        let nowMinute = Self.minute(clock.now())
        let removedBytes = try await storeWrite { connection -> Int? in
            let deleted = try connection.query(
                "DELETE FROM secret WHERE id = ? RETURNING length(sealed)", [.blob(secretID)]
            ).first?.first?.integer
            guard let deleted else { return nil }
            try connection.query(
                "UPDATE receipt SET state = ?, sealed_link = NULL, updated_minute = ? WHERE id = ?",
                [.integer(Schema.StoredState.burned.rawValue), .integer(nowMinute), .blob(receiptID)])
            return Int(deleted)
        }
        if let removedBytes { removed(bytes: removedBytes, as: \.burned) }
        return try await receipt(token)
    }

    // MARK: Expiry

    /// Deletes expired secrets and receipts, then returns freed pages to the file system.
    /// Expired rows are unreadable before this runs; sweeping only reclaims the space.
    @discardableResult
    public func sweep() async throws -> Int {
        let nowMinute = Self.minute(clock.now())
        let sizes = try await storeRun { connection -> [Int64] in
            let sizes = try connection.transaction {
                let sizes = try connection.query(
                    "DELETE FROM secret WHERE expires_minute <= ? RETURNING length(sealed)", [.integer(nowMinute)]
                ).compactMap { $0.first?.integer }
                try connection.query(
                    "UPDATE receipt SET sealed_link = NULL WHERE sealed_link IS NOT NULL AND secret_expires_minute <= ?",
                    [.integer(nowMinute)])
                try connection.query("DELETE FROM receipt WHERE expires_minute <= ?", [.integer(nowMinute)])
                return sizes
            }
            try connection.query("PRAGMA incremental_vacuum")
            try connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
            return sizes
        }
        counters.withLock { totals in
            totals.stored -= sizes.count
            totals.storedBytes -= Int(sizes.reduce(0, +))
            totals.expired += sizes.count
        }
        return sizes.count
    }

    public var statistics: VaultStatistics {
        counters.withLock { $0 }
    }

    /// Confirms the database is intact (`PRAGMA quick_check`); used by health checks and tests.
    public func integrityCheck() async throws -> Bool {
        let rows = try await storeRun { try $0.query("PRAGMA integrity_check") }
        return rows.count == 1 && rows[0].first == .text("ok")
    }

    // MARK: Helpers

    /// A read (or maintenance) job on the store, its errors as ``VaultError``.
    private func storeRun<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await Self.mappingErrors { try await store.run(body) }
    }

    /// A group-committed write on the store, its errors as ``VaultError``.
    private func storeWrite<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await Self.mappingErrors { try await store.write(body) }
    }

    private static func mappingErrors<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch {
            throw vaultError(error)
        }
    }

    private func removed(bytes: Int, as counter: WritableKeyPath<VaultStatistics, Int>) {
        counters.withLock { totals in
            totals.stored -= 1
            totals.storedBytes -= bytes
            totals[keyPath: counter] += 1
        }
    }

    private static func vaultError(_ error: any Error) -> VaultError {
        switch error {
        case let error as VaultError: error
        case let error as StorageError where error.isFull: .diskFull
        case let error as StorageError: .storage(error.message)
        default: .storage("\(error)")
        }
    }

    private static func storedTotals(store: SecretStore) throws -> (count: Int, bytes: Int) {
        do {
            return try store.runNow { connection in
                let row = try connection.query("SELECT count(*), coalesce(sum(length(sealed)), 0) FROM secret").first
                return (Int(row?[0].integer ?? 0), Int(row?[1].integer ?? 0))
            }
        } catch {
            throw vaultError(error)
        }
    }

    private static func markReceipt(
        _ stored: StoredSecret, keys: DerivedKeys, state: Schema.StoredState, minute: Int64, in connection: SQLiteConnection
    ) throws {
        guard var receiptID = Seal.open(stored.receiptReference, key: keys.contentKey, boundTo: keys.rowID) else { return }
        defer { Sodium.wipe(&receiptID) }
        try connection.query(
            "UPDATE receipt SET state = ?, sealed_link = NULL, updated_minute = ? WHERE id = ?",
            [.integer(state.rawValue), .integer(minute), .blob(receiptID)])
    }

    private static func receipt(from row: [SQLValue], keys: DerivedKeys, nowMinute: Int64) -> Receipt? {
        guard let storedState = row[1].integer.flatMap(Schema.StoredState.init(rawValue:)),
              let passphrase = row[2].integer, let ttl = row[3].integer, let created = row[4].integer,
              let updated = row[5].integer, let secretExpires = row[6].integer, let expires = row[7].integer
        else { return nil }
        var state: SecretState
        switch storedState {
        case .new: state = .new
        case .received: state = .received
        case .burned: state = .burned
        }
        var secretToken: LinkToken? = nil
        var senderCopy: [UInt8]? = nil
        if state == .new {
            if secretExpires <= nowMinute {
                state = .expired
            } else if let sealed = row[0].blob, var payload = Seal.open(sealed, key: keys.contentKey, boundTo: keys.rowID),
                      payload.count >= LinkToken.byteCount {
                secretToken = LinkToken(bytes: Array(payload[..<LinkToken.byteCount]))
                if payload.count > LinkToken.byteCount { senderCopy = Array(payload[LinkToken.byteCount...]) }
                Sodium.wipe(&payload)
            }
        }
        return Receipt(
            state: state, secretToken: secretToken, senderCopy: senderCopy,
            passphraseRequired: passphrase != 0, ttl: Int(ttl),
            createdMinute: created, updatedMinute: updated,
            secretExpiresMinute: secretExpires, receiptExpiresMinute: expires)
    }

    static func minute(_ seconds: Int64) -> Int64 { seconds / 60 }
    static func minuteRoundedUp(_ seconds: Int64) -> Int64 { (seconds + 59) / 60 }
}

/// A row of the `secret` table as the reveal path needs it.
private struct StoredSecret: Sendable {
    let sealed: [UInt8]
    let receiptReference: [UInt8]
    let salt: [UInt8]?

    init(row: [SQLValue]) {
        sealed = row[0].blob ?? []
        receiptReference = row[1].blob ?? []
        salt = row[2].blob
    }
}
