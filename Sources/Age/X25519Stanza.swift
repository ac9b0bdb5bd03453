/// The X25519 recipient stanza (C2SP age, "The X25519 recipient type"): the file key wrapped
/// under a key agreed between a fresh ephemeral share and the recipient.
enum X25519Stanza {
    static let type = "X25519"
    private static let info = "age-encryption.org/v1/X25519"
    private static let zeroNonce = [UInt8](repeating: 0, count: 12)

    static func wrap(_ fileKey: [UInt8], to recipient: AgeRecipient) throws(AgeError) -> Stanza {
        var ephemeral = Primitives.randomBytes(Primitives.keyBytes)
        defer { Primitives.wipe(&ephemeral) }
        let share = Primitives.x25519Base(ephemeral)
        guard var shared = Primitives.x25519(ephemeral, recipient.publicKey) else {
            throw .invalidKey("\(recipient) is a low-order point: no file can be encrypted to it")
        }
        defer { Primitives.wipe(&shared) }
        var wrapKey = Primitives.hkdf(secret: shared, salt: share + recipient.publicKey, info: info)
        defer { Primitives.wipe(&wrapKey) }
        let body = fileKey.withUnsafeBytes { Primitives.seal($0, key: wrapKey, nonce: zeroNonce) }
        return Stanza(arguments: [type, String(decoding: Base64Unpadded.encode(share), as: UTF8.self)], body: body)
    }

    /// The share of a well-formed X25519 stanza; a malformed one fails the whole header, as the
    /// specification requires (it must not be skipped like a stanza of an unknown type).
    static func share(of stanza: Stanza) throws(AgeError) -> [UInt8] {
        guard stanza.arguments.count == 2,
              let share = Base64Unpadded.decode(Array(stanza.arguments[1].utf8)), share.count == Primitives.keyBytes else {
            throw .headerFailure("malformed X25519 stanza")
        }
        guard stanza.body.count == Primitives.keyBytes else { throw .headerFailure("X25519 stanza body is not 32 bytes") }
        return share
    }

    /// The file key, or nil if the stanza was not made for `identity`.
    static func unwrap(_ stanza: Stanza, share: [UInt8], with identity: AgeIdentity) throws(AgeError) -> [UInt8]? {
        guard var shared = Primitives.x25519(identity.secretKey, share) else {
            throw .headerFailure("X25519 stanza with a low-order share")
        }
        defer { Primitives.wipe(&shared) }
        var wrapKey = Primitives.hkdf(secret: shared, salt: share + identity.recipient.publicKey, info: info)
        defer { Primitives.wipe(&wrapKey) }
        return stanza.body.withUnsafeBytes { Primitives.open($0, key: wrapKey, nonce: zeroNonce) }
    }
}
