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
        var out = ""
        var rest = Substring(template)
        while let start = rest.firstRange(of: open) {
            guard let end = rest[start.upperBound...].firstRange(of: close) else {
                preconditionFailure("a template's \(open) has no \(close)")
            }
            out += rest[..<start.lowerBound]
            let english = String(rest[start.upperBound..<end.lowerBound])
            let text = catalog.translation(of: Message(templateSentence: english)) ?? english
            out += markup(text, placeholders: Placeholders.names(in: english))
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    /// The sentences the templates hold, in order of appearance: what the extractor lists.
    static func sentences(in template: String) -> [String] {
        var sentences: [String] = []
        var rest = Substring(template)
        while let start = rest.firstRange(of: open), let end = rest[start.upperBound...].firstRange(of: close) {
            sentences.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return sentences
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

    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "{": out += "&#123;"
            case "}": out += "&#125;"
            default: out.append(character)
            }
        }
        return out
    }
}
