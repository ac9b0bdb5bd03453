import Translation

/// One language's copy of the templates: each `{{#t}}English{{/t}}` replaced by the catalog's
/// text for it (or the English when the catalog has none), HTML-escaped, with the English's
/// `{name}` placeholders turned into `{{name}}`, which Markup fills from the page's values and escapes
/// like every value. Braces in the text itself are escaped too, so no translation can become a
/// Mustache tag. Done once at start, so a page costs what it cost before.
enum LocalizedTemplates {
    static let open = "{{#t}}"
    static let close = "{{/t}}"

    static func templates(in catalog: Catalog) -> [String: String] {
        Templates.all.mapValues { localized($0, catalog) }
    }

    static func localized(_ template: String, _ catalog: Catalog) -> String {
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 5 / 4)
        var position = 0
        for tag in tags(in: bytes) {
            out += bytes[position..<tag.open]
            let english = String(decoding: bytes[tag.sentence], as: UTF8.self)
            let text = catalog.translation(of: Message(templateSentence: english)) ?? english
            out += markup(text, placeholders: Placeholders.names(in: english)).utf8
            position = tag.end
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The sentences the templates hold, in order of appearance: what the extractor lists.
    static func sentences(in template: String) -> [String] {
        let bytes = Array(template.utf8)
        return tags(in: bytes).map { String(decoding: bytes[$0.sentence], as: UTF8.self) }
    }

    /// Where each `{{#t}}…{{/t}}` starts, where its sentence lies, and where it ends, found on the
    /// bytes: at start every template of every language is searched, and searching by Character
    /// cost more than the rest of the start-up together.
    private static func tags(in bytes: [UInt8]) -> [(open: Int, sentence: Range<Int>, end: Int)] {
        let open = Array(Self.open.utf8), close = Array(Self.close.utf8)
        var tags: [(open: Int, sentence: Range<Int>, end: Int)] = []
        var position = 0
        while let start = firstIndex(of: open, in: bytes, from: position) {
            guard let finish = firstIndex(of: close, in: bytes, from: start + open.count) else {
                preconditionFailure("a template's \(Self.open) has no \(Self.close)")
            }
            tags.append((start, (start + open.count)..<finish, finish + close.count))
            position = finish + close.count
        }
        return tags
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first { index in
            haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle)
        }
    }

    /// Only the English's own placeholders become tags: any other `{name}` a translation holds
    /// stays text (the completeness test refuses it in a shipped catalog anyway).
    private static func markup(_ text: String, placeholders: Set<String>) -> String {
        Placeholders.segments(text).map { segment in
            switch segment {
            case .text(let plain): escaped(plain)
            case .placeholder(let name) where placeholders.contains(name): "{{\(name)}}"
            case .placeholder(let name): escaped("{\(name)}")
            }
        }.joined()
    }

    /// On the bytes: every character escaped is ASCII, so a quote followed by a combining mark is
    /// escaped like any other.
    static func escaped(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            case UInt8(ascii: "{"): out += "&#123;".utf8
            case UInt8(ascii: "}"): out += "&#125;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
