/// A header value of the form `type; name=value; name="quoted value"` (RFC 9110 §5.6.6), as the
/// request's Content-Type and each part's Content-Disposition spell it (RFC 7578).
///
/// Strict where leniency would let two readers disagree: an unterminated quote, a parameter
/// without `=` or one named twice makes the whole value unreadable (nil), never a guess.
struct HeaderParameters: Equatable, Sendable {
    /// What comes before the first `;`, lowercased (`multipart/form-data`, `form-data`).
    let value: String
    /// Parameter names lowercased (they are case-insensitive), values as sent, unquoted.
    let parameters: [String: String]

    init?(_ text: some StringProtocol) {
        var rest = Array(text.utf8)[...]
        let valueEnd = rest.firstIndex(of: Self.semicolon) ?? rest.endIndex
        let value = Self.trimmed(rest[..<valueEnd])
        guard !value.isEmpty, value.allSatisfy(Self.isValueByte) else { return nil }
        rest = rest[valueEnd...]
        var parameters: [String: String] = [:]
        while rest.first == Self.semicolon {
            rest = Self.trimmedFront(rest.dropFirst())
            if rest.isEmpty { break }
            guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = rest[..<equals]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { return nil }
            rest = rest[(equals + 1)...]
            let parsed: String
            if rest.first == Self.quote {
                guard let (quoted, after) = Self.quotedString(rest) else { return nil }
                parsed = quoted
                rest = Self.trimmedFront(after)
            } else {
                let end = rest.firstIndex(of: Self.semicolon) ?? rest.endIndex
                let token = Self.trimmed(rest[..<end])
                guard token.allSatisfy(Self.isTokenByte) else { return nil }
                parsed = String(decoding: token, as: UTF8.self)
                rest = rest[end...]
            }
            guard rest.isEmpty || rest.first == Self.semicolon else { return nil }
            let key = String(decoding: name, as: UTF8.self).lowercased()
            guard parameters.updateValue(parsed, forKey: key) == nil else { return nil }
        }
        guard rest.isEmpty else { return nil }
        self.value = String(decoding: value, as: UTF8.self).lowercased()
        self.parameters = parameters
    }

    /// A quoted-string starting at `bytes.first` (a `"`): its unescaped contents and what follows.
    private static func quotedString(_ bytes: ArraySlice<UInt8>) -> (String, ArraySlice<UInt8>)? {
        var contents: [UInt8] = []
        var index = bytes.startIndex + 1
        while index < bytes.endIndex {
            switch bytes[index] {
            case quote:
                return (String(decoding: contents, as: UTF8.self), bytes[(index + 1)...])
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.endIndex else { return nil }
                contents.append(bytes[index + 1])
                index += 2
            case let byte:
                contents.append(byte)
                index += 1
            }
        }
        return nil
    }

    private static let semicolon = UInt8(ascii: ";")
    private static let quote = UInt8(ascii: "\"")

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private static func trimmedFront(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.drop(while: isSpace)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = trimmedFront(bytes)
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        return bytes
    }

    /// RFC 9110 `tchar`: what a parameter name or an unquoted value may hold.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            tokenSymbols.contains(byte)
        }
    }

    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    /// A token, or `type/subtype`.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        isTokenByte(byte) || byte == UInt8(ascii: "/")
    }
}
