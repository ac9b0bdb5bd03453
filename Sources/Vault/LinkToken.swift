/// A 256-bit random capability: whoever holds it can open (or, for a receipt, inspect) one secret.
///
/// Its text form is unpadded lowercase RFC 4648 base32 (52 characters), which survives copying
/// by hand, URL paths and case-insensitive chat clients. The server derives everything it stores
/// from a token and never stores, logs or keeps the token itself.
public struct LinkToken: Sendable, Hashable {
    public static let byteCount = 32

    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    static func random() -> LinkToken {
        LinkToken(bytes: Sodium.randomBytes(byteCount))
    }

    /// Parses the text form; anything else (wrong length, other characters, non-zero padding bits)
    /// is no token at all, so arbitrary path segments never reach the database.
    public init?(_ text: some StringProtocol) {
        guard let bytes = Base32.decode(text, exactly: Self.byteCount) else { return nil }
        self.bytes = bytes
    }

    /// The text that goes into a link. Only ever rendered into a response, never into a log.
    public var text: String { Base32.encode(bytes) }
}

extension LinkToken: CustomStringConvertible {
    /// Redacted, so that interpolating a token into a log message cannot leak it.
    public var description: String { "LinkToken(redacted)" }
}
