internal import CSodium

/// An X25519 recipient, `age1…`: anyone may encrypt to it.
public struct AgeRecipient: Sendable, Equatable, CustomStringConvertible {
    public let publicKey: [UInt8]

    public init(_ text: String) throws(AgeError) {
        guard let (prefix, key) = Bech32.decode(text), prefix == "age", key.count == Primitives.keyBytes else {
            throw .invalidKey("'\(text.prefix(12))…' is not an age X25519 recipient (age1…, as age-keygen prints)")
        }
        publicKey = key
    }

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    public var description: String { Bech32.encode(humanReadablePart: "age", publicKey) }
}

/// An X25519 identity, `AGE-SECRET-KEY-1…`: its holder decrypts what was encrypted to its recipient.
public struct AgeIdentity: Sendable {
    let secretKey: [UInt8]
    public let recipient: AgeRecipient

    public init(_ text: String) throws(AgeError) {
        guard let (prefix, key) = Bech32.decode(text), prefix == "age-secret-key-", key.count == Primitives.keyBytes else {
            throw .invalidKey("not an age X25519 identity (AGE-SECRET-KEY-1…, as age-keygen writes)")
        }
        self.init(secretKey: key)
    }

    /// An identity from its 32 secret bytes, for a key that is derived rather than stored (a
    /// conversation's reply key); any 32 bytes are a valid X25519 secret.
    public init(secretKey: [UInt8]) {
        precondition(secretKey.count == Primitives.keyBytes, "an X25519 secret key is 32 bytes")
        self.secretKey = secretKey
        recipient = AgeRecipient(publicKey: Primitives.x25519Base(secretKey))
    }

    public static func generate() -> AgeIdentity { AgeIdentity(secretKey: Primitives.randomBytes(Primitives.keyBytes)) }

    /// Clears the secret key of an identity made for one use (``generate()``) in the storage it
    /// shares with every copy of it, so that no copy handed to an encryptor or decryptor keeps
    /// it; the identity, and each copy, decrypts nothing afterwards. Copies share that storage
    /// because nothing ever mutates a key.
    public func wipe() {
        secretKey.withUnsafeBufferPointer { key in
            guard let base = key.baseAddress else { return }
            sodium_memzero(UnsafeMutableRawPointer(mutating: base), key.count)
        }
    }

    /// The Bech32 string; write it only where the identity belongs (an offline machine's key file).
    public var encoded: String { Bech32.encode(humanReadablePart: "AGE-SECRET-KEY-", secretKey) }

    /// The identities of an identity file as `age-keygen` writes it: `#` comments, blank lines,
    /// one `AGE-SECRET-KEY-1…` a line.
    public static func parseFile(_ text: String) throws(AgeError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            guard words.count == 1 else { throw .invalidKey("an identity file line holds more than one key") }
            identities.append(try AgeIdentity(String(first)))
        }
        guard !identities.isEmpty else { throw .invalidKey("the identity file holds no AGE-SECRET-KEY-1… line") }
        return identities
    }
}
