/// A gettext `.po` file, as far as gettext's tools write them: the header entry, `msgctxt`,
/// `msgid`, `msgid_plural`, `msgstr` and `msgstr[n]`, each a C string that may continue on the
/// lines after it, and comments. Entries marked `#, fuzzy` (a guess waiting for a translator) and
/// obsolete ones (`#~`) are left out, as gettext leaves them out.
public struct POFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var context: String?
        public var id: String
        public var plural: String?
        /// One string, or one per plural form (`msgstr[0]`, `msgstr[1]`, …) in order.
        public var translations: [String]
        /// The line of its `msgid`, for error messages.
        public var line: Int
    }

    /// Every translated or untranslated entry, the header aside.
    public let entries: [Entry]
    /// The header's `Name: value` fields.
    public let header: [String: String]

    public init(parsing text: String) throws(POError) {
        var reader = POReader()
        var number = 0
        // Lines end in "\n" or "\r\n"; split on the bytes, as every catalog is read at start.
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            try reader.read(Substring(bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes), number: number)
        }
        try reader.finishEntry(number: number)
        var header: [String: String] = [:]
        var entries: [Entry] = []
        for entry in reader.entries {
            if entry.context == nil, entry.id.isEmpty {
                guard header.isEmpty, let text = entry.translations.first else { throw POError(line: entry.line, "a second header entry") }
                header = try Self.headerFields(text, line: entry.line)
            } else {
                entries.append(entry)
            }
        }
        self.header = header
        self.entries = entries
    }

    private static func headerFields(_ text: String, line: Int) throws(POError) -> [String: String] {
        var fields: [String: String] = [:]
        for field in text.split(separator: "\n") {
            guard let colon = field.firstIndex(of: ":") else { throw POError(line: line, "header field without a colon: \(field)") }
            fields[String(field[..<colon]).trimmingSpaces] = field[field.index(after: colon)...].trimmingSpaces
        }
        return fields
    }
}

/// What is wrong with a `.po` file, and on which line.
public struct POError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    init(line: Int, _ reason: String) {
        self.init(line: line, reason: reason)
    }

    public var description: String { "line \(line): \(reason)" }
}

/// The line-by-line state: which keyword the next continuation string belongs to, and the
/// entry being read.
private struct POReader {
    enum Field: Equatable {
        case context, id, plural, translation(Int)
    }

    var entries: [POFile.Entry] = []
    private var context: String?
    private var id: String?
    private var idLine = 0
    private var plural: String?
    private var translations: [Int: String] = [:]
    private var field: Field?
    private var fuzzy = false
    private var started = false

    mutating func read(_ line: Substring, number: Int) throws(POError) {
        let text = line.trimmingSpaces
        if text.isEmpty { return try finishEntry(number: number) }
        if text.hasPrefix("#") {
            // A comment ends the entry before it; only the flags of the next one matter.
            if field.map({ if case .translation = $0 { true } else { false } }) ?? false { try finishEntry(number: number) }
            if text.hasPrefix("#,"), text.dropFirst(2).split(separator: ",").contains(where: { $0.trimmingSpaces == "fuzzy" }) {
                fuzzy = true
            }
            return
        }
        if text.hasPrefix("\"") {
            guard let field else { throw POError(line: number, "a string that continues no msgid or msgstr") }
            return append(try Self.cString(text, line: number), to: field)
        }
        let keyword = String(text.prefix(while: { $0 != " " && $0 != "\t" && $0 != "\"" }))
        let value = try Self.cString(text.dropFirst(keyword.count).trimmingSpaces, line: number)
        switch keyword {
        case "msgctxt":
            try finishIfTranslated(number: number)
            guard context == nil, id == nil else { throw POError(line: number, "msgctxt after the entry's msgid") }
            started = true
            context = value
            field = .context
        case "msgid":
            try finishIfTranslated(number: number)
            guard id == nil else { throw POError(line: number, "a msgid without its msgstr before it") }
            started = true
            id = value
            idLine = number
            field = .id
        case "msgid_plural":
            guard id != nil, plural == nil, translations.isEmpty else { throw POError(line: number, "msgid_plural out of place") }
            plural = value
            field = .plural
        case "msgstr":
            guard id != nil, plural == nil, translations.isEmpty else { throw POError(line: number, "msgstr out of place") }
            translations[0] = value
            field = .translation(0)
        default:
            guard keyword.hasPrefix("msgstr["), keyword.hasSuffix("]"), let index = Int(keyword.dropFirst(7).dropLast()),
                  (0..<6).contains(index)
            else { throw POError(line: number, "unknown keyword \(keyword)") }
            guard id != nil, plural != nil, translations[index] == nil, index == translations.count else {
                throw POError(line: number, "\(keyword) out of place")
            }
            translations[index] = value
            field = .translation(index)
        }
    }

    private mutating func finishIfTranslated(number: Int) throws(POError) {
        if !translations.isEmpty { try finishEntry(number: number) }
    }

    mutating func finishEntry(number: Int) throws(POError) {
        guard started else { return }
        guard let id else { throw POError(line: number, "an entry without its msgid") }
        guard !translations.isEmpty else { throw POError(line: idLine, "msgid without a msgstr") }
        if plural != nil, translations.count < 2 { throw POError(line: idLine, "a plural entry needs msgstr[0] and msgstr[1] at least") }
        // A fuzzy header still says the charset and plural rule, as it does to gettext.
        if !fuzzy || (context == nil && id.isEmpty) {
            entries.append(.init(
                context: context, id: id, plural: plural, translations: (0..<translations.count).map { translations[$0]! }, line: idLine))
        }
        self = POReader(entries: entries)
    }

    private init(entries: [POFile.Entry]) { self.entries = entries }
    init() {}

    private mutating func append(_ text: String, to field: Field) {
        switch field {
        case .context: context! += text
        case .id: id! += text
        case .plural: plural! += text
        case .translation(let index): translations[index]! += text
        }
    }

    /// A C string literal in double quotes: `\n \t \r \" \\ \a \b \f \v`, octal `\NNN` and hex
    /// `\xHH` (bytes, so that `\303\251` is é), UTF-8 throughout.
    static func cString(_ text: String, line: Int) throws(POError) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else {
            throw POError(line: line, "expected a string in double quotes")
        }
        bytes = Array(bytes.dropFirst().dropLast())
        var out: [UInt8] = []
        var index = 0
        func isOctal(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { throw POError(line: line, "a double quote inside a string must be written \\\"") }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { throw POError(line: line, "a string ends in a lone backslash") }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "?"): out.append(escaped)
            case _ where isOctal(escaped):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < bytes.count, isOctal(bytes[index]) {
                    value = value * 8 + Int(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                guard value <= 0xFF else { throw POError(line: line, "an octal escape over \\377") }
                out.append(UInt8(value))
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, index < bytes.count, let digit = hexValue(bytes[index]) {
                    value = value * 16 + digit
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { throw POError(line: line, "\\x without hex digits") }
                out.append(UInt8(value))
            default:
                throw POError(line: line, "unknown escape \\\(Character(Unicode.Scalar(escaped)))")
            }
        }
        guard let decoded = String(validating: out, as: UTF8.self) else { throw POError(line: line, "the string is not UTF-8") }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
