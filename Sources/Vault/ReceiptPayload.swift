/// What a receipt row keeps under the receipt token's key, written once at create: the share
/// link, the times and settings the sender sees, and for generated passwords the password.
/// Sealed at one constant length, so every receipt row has the same size.
struct ReceiptPayload: Sendable {
    let shareToken: LinkToken
    /// The secret itself, for generated passwords (at most ``maxSenderCopyBytes``).
    let senderCopy: [UInt8]?
    let passphraseRequired: Bool
    let ttl: Int64
    let createdMinute: Int64
    let secretExpiresMinute: Int64
    let receiptExpiresMinute: Int64

    /// A generated password is 12 characters; the room is fixed so that every payload fits one class.
    static let maxSenderCopyBytes = 64
    /// 32 + 1 + 8 × 4 + 1 + 64 bytes of fields at most, padded to one class.
    static let paddedLength = 192

    func sealed(with keys: DerivedKeys) -> [UInt8] {
        precondition((senderCopy?.count ?? 0) <= Self.maxSenderCopyBytes, "a sender's copy is a generated password")
        var fields = PayloadWriter()
        fields.raw(shareToken.bytes)
        fields.flag(passphraseRequired)
        fields.integer(ttl)
        fields.integer(createdMinute)
        fields.integer(secretExpiresMinute)
        fields.integer(receiptExpiresMinute)
        fields.raw([UInt8(senderCopy?.count ?? 0)])
        fields.raw(senderCopy ?? [])
        defer { fields.wipe() }
        return Seal.seal(fields.bytes, paddedTo: Self.paddedLength, key: keys.contentKey, boundTo: keys.rowID)
    }

    /// Nil when the payload does not open under the receipt's key or has another shape.
    init?(opening sealed: [UInt8], with keys: DerivedKeys) {
        guard var bytes = Seal.openPadded(sealed, key: keys.contentKey, boundTo: keys.rowID) else { return nil }
        defer { Sodium.wipe(&bytes) }
        var fields = PayloadReader(bytes)
        guard let token = fields.raw(LinkToken.byteCount), let passphrase = fields.flag(), let ttl = fields.integer(),
              let created = fields.integer(), let secretExpires = fields.integer(), let receiptExpires = fields.integer(),
              let copyLength = fields.raw(1), let copy = fields.raw(Int(copyLength[0])), fields.isAtEnd
        else { return nil }
        self.init(
            shareToken: LinkToken(bytes: token), senderCopy: copy.isEmpty ? nil : copy, passphraseRequired: passphrase,
            ttl: ttl, createdMinute: created, secretExpiresMinute: secretExpires, receiptExpiresMinute: receiptExpires)
    }

    init(
        shareToken: LinkToken, senderCopy: [UInt8]?, passphraseRequired: Bool, ttl: Int64, createdMinute: Int64,
        secretExpiresMinute: Int64, receiptExpiresMinute: Int64
    ) {
        self.shareToken = shareToken
        self.senderCopy = senderCopy
        self.passphraseRequired = passphraseRequired
        self.ttl = ttl
        self.createdMinute = createdMinute
        self.secretExpiresMinute = secretExpiresMinute
        self.receiptExpiresMinute = receiptExpiresMinute
    }
}

/// What became of a receipt's secret, in the receipt row's second sealed column: "new" from the
/// create, rewritten once when the secret is read or burned. Its key (``DerivedKeys/receiptOutcomeKey(_:)``)
/// is in the secret's header too, so a reveal can write it; the payload stays out of its reach.
struct ReceiptOutcome: Sendable, Equatable {
    let state: ReceiptTable.StoredState
    /// When it was read or burned, in whole minutes; 0 while new.
    let minute: Int64

    static let paddedLength = 32

    static func associatedData(_ rowID: [UInt8]) -> [UInt8] {
        rowID + Array("outcome".utf8)
    }

    func sealed(with key: SecureBytes, receiptID: [UInt8]) -> [UInt8] {
        var fields = PayloadWriter()
        fields.integer(state.rawValue)
        fields.integer(minute)
        return Seal.seal(fields.bytes, paddedTo: Self.paddedLength, key: key, boundTo: Self.associatedData(receiptID))
    }

    init?(opening sealed: [UInt8], with key: SecureBytes, receiptID: [UInt8]) {
        guard let bytes = Seal.openPadded(sealed, key: key, boundTo: Self.associatedData(receiptID)) else { return nil }
        var fields = PayloadReader(bytes)
        guard let state = fields.integer().flatMap(ReceiptTable.StoredState.init(rawValue:)), let minute = fields.integer(),
              fields.isAtEnd
        else { return nil }
        self.init(state: state, minute: minute)
    }

    init(state: ReceiptTable.StoredState, minute: Int64) {
        self.state = state
        self.minute = minute
    }
}
