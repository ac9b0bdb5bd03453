/// Cuts a template's source into ``Token``s, then applies the standalone rule: a line holding
/// only one section, inverted, closing, comment, partial, parent or block tag and spaces or
/// tabs vanishes whole, its line break too, so templates can put such tags on lines of their own.
///
/// Only `{{`…`}}` delimiters exist here: a set-delimiter tag (`{{=`) or a pragma (`{{%`) is
/// an error, as is a tag other than a comment that runs over a line break.
struct Scanner {
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var tokens: [Token] = []

    private static let open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8), tripleClose: [UInt8] = Array("}}}".utf8)
    private static let lineFeed = UInt8(ascii: "\n")

    static func tokens(_ source: String) throws(MarkupError) -> [Token] {
        var scanner = Scanner(bytes: Array(source.utf8))
        try scanner.scan()
        return Self.standalone(scanner.tokens)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func scan() throws(MarkupError) {
        while offset < bytes.count {
            let tagStart = find(Self.open, from: offset) ?? bytes.count
            let lineEnd = bytes[offset..<tagStart].firstIndex(of: Self.lineFeed)
            if let lineEnd {
                tokens.append(.text(text(offset...lineEnd), endsLine: true))
                offset = lineEnd + 1
                line += 1
            } else {
                if tagStart > offset { tokens.append(.text(text(offset..<tagStart), endsLine: false)) }
                offset = tagStart
                if tagStart < bytes.count { try scanTag() }
            }
        }
    }

    /// The tag at `offset`, which starts with `{{`.
    private mutating func scanTag() throws(MarkupError) {
        let start = offset + Self.open.count
        let sigil = start < bytes.count ? bytes[start] : 0
        let kind: Tag.Kind
        switch sigil {
        case UInt8(ascii: "{"): kind = .unescaped
        case UInt8(ascii: "&"): kind = .unescaped
        case UInt8(ascii: "#"): kind = .section
        case UInt8(ascii: "^"): kind = .inverted
        case UInt8(ascii: "/"): kind = .close
        case UInt8(ascii: "!"): kind = .comment
        case UInt8(ascii: ">"): kind = .partial
        case UInt8(ascii: "<"): kind = .parent
        case UInt8(ascii: "$"): kind = .block
        case UInt8(ascii: "="), UInt8(ascii: "%"):
            throw MarkupError(line: line, reason: "set-delimiter and pragma tags ({{= and {{%) are not supported")
        default: kind = .variable
        }
        let nameStart = kind == .variable ? start : start + 1
        let closing = sigil == UInt8(ascii: "{") ? Self.tripleClose : Self.close
        guard let end = find(closing, from: nameStart) else {
            throw MarkupError(line: line, reason: "a tag is opened and never closed with \(String(decoding: closing, as: UTF8.self))")
        }
        let inside = bytes[nameStart..<end]
        let breaks = inside.filter { $0 == Self.lineFeed }.count
        guard breaks == 0 || kind == .comment else { throw MarkupError(line: line, reason: "a tag runs over a line break") }
        let name = String(decoding: inside, as: UTF8.self).trimmed
        guard kind == .comment || !name.isEmpty else { throw MarkupError(line: line, reason: "a tag has no name") }
        tokens.append(.tag(Tag(kind: kind, name: name, line: line)))
        line += breaks
        offset = end + closing.count
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private func text(_ range: some RangeExpression<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The tokens with each standalone line reduced to its tag (which keeps the line's leading
    /// spaces and tabs as its indentation).
    private static func standalone(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        var lineTokens: [Token] = []
        func endLine() {
            let tags = lineTokens.compactMap { if case .tag(let tag) = $0 { tag } else { nil } }
            let blank = lineTokens.allSatisfy { if case .text(let text, _) = $0 { text.isSpaceOrLineBreak } else { true } }
            if tags.count == 1, var tag = tags.first, tag.kind.standsAlone, blank {
                if case .text(let indentation, endsLine: false) = lineTokens.first { tag.indentation = indentation }
                out.append(.tag(tag))
            } else {
                out += lineTokens
            }
            lineTokens = []
        }
        for token in tokens {
            lineTokens.append(token)
            if case .text(_, endsLine: true) = token { endLine() }
        }
        endLine()
        return out
    }
}

extension String {
    /// Without the spaces, tabs and line breaks around it.
    var trimmed: String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = utf8.drop(while: isSpace)
        let end = bytes.lastIndex(where: { !isSpace($0) }).map { bytes.index(after: $0) } ?? bytes.startIndex
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Only spaces and tabs, then at most a line break (`\n` or `\r\n`).
    var isSpaceOrLineBreak: Bool {
        var bytes = utf8[...]
        if bytes.last == 0x0A { bytes = bytes.dropLast() }
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
