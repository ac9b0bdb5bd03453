/// The `{name}` placeholders of a message. A name is ASCII letters, digits and `_`, starting with
/// a letter; a brace that does not open such a name is plain text, so a translation may use braces.
public enum Placeholders {
    public enum Segment: Equatable, Sendable {
        case text(String)
        case placeholder(String)
    }

    /// The text cut into plain runs and placeholders, in order.
    public static func segments(_ text: String) -> [Segment] {
        var segments: [Segment] = []
        var plain = Substring()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            plain += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), isName(rest[afterOpen..<close]) {
                if !plain.isEmpty { segments.append(.text(String(plain))) }
                plain = Substring()
                segments.append(.placeholder(String(rest[afterOpen..<close])))
                rest = rest[rest.index(after: close)...]
            } else {
                plain += "{"
                rest = rest[afterOpen...]
            }
        }
        plain += rest
        if !plain.isEmpty { segments.append(.text(String(plain))) }
        return segments
    }

    /// Every placeholder's name, each once: what a translation must keep.
    public static func names(in text: String) -> Set<String> {
        Set(segments(text).compactMap { if case .placeholder(let name) = $0 { name } else { nil } })
    }

    /// The text with each placeholder replaced by its value; one without a value stays as it is.
    public static func substitute(_ text: String, _ values: [String: String]) -> String {
        segments(text).map { segment in
            switch segment {
            case .text(let plain): plain
            case .placeholder(let name): values[name] ?? "{\(name)}"
            }
        }.joined()
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
