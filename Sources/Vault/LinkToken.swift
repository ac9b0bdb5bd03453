/// A 256-bit random capability: whoever holds it can open (or, for a receipt, inspect) one secret.
///
/// Its text form is unpadded lowercase RFC 4648 base32 (52 characters), which survives copying
/// by hand, URL paths and case-insensitive chat clients. The server derives everything it stores
/// from a token and never stores, logs or keeps the token itself.
public struct LinkToken: Sendable, Hashable {
    public static let byteCount = 32
    static let textLength = 52
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

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
        let utf8 = Array(text.utf8)
        guard utf8.count == Self.textLength else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        var buffer: UInt32 = 0
        var bits = 0
        for character in utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        // 52 characters carry 260 bits: the last 4 must be zero or two texts would name one token.
        guard bits == 4, buffer & 0xF == 0 else { return nil }
        self.bytes = bytes
    }

    /// The text that goes into a link. Only ever rendered into a response, never into a log.
    public var text: String {
        var output: [UInt8] = []
        output.reserveCapacity(Self.textLength)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(Self.alphabet[Int((buffer >> UInt32(bits)) & 0x1F)])
            }
        }
        if bits > 0 {
            output.append(Self.alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension LinkToken: CustomStringConvertible {
    /// Redacted, so that interpolating a token into a log message cannot leak it.
    public var description: String { "LinkToken(redacted)" }
}
