/// One language's translations, read from its `.po` file, and the lookup the pages use. A
/// message the catalog does not translate (or translates with an empty string) is shown in
/// English, as gettext shows it; the tests keep a shipped catalog from having any.
public struct Catalog: Sendable {
    /// The header's `Language`, such as `de` or `fa`.
    public let language: String
    public let pluralRule: PluralRule
    /// Every entry of the file, translated or not, fuzzy ones aside.
    public let entries: [POFile.Entry]
    private let translations: [Key: [String]]

    private struct Key: Hashable {
        let context: String?
        let id: String
    }

    /// The sources' own language: no entries, English plurals.
    public static let source = Catalog(language: "en", pluralRule: .english, entries: [])

    private init(language: String, pluralRule: PluralRule, entries: [POFile.Entry]) {
        self.language = language
        self.pluralRule = pluralRule
        self.entries = entries
        translations = Dictionary(entries.map { (Key(context: $0.context, id: $0.id), $0.translations) }) { first, _ in first }
    }

    public init(parsing text: String) throws(CatalogError) {
        let file: POFile
        do { file = try POFile(parsing: text) } catch { throw .syntax(error) }
        guard let language = file.header["Language"], !language.isEmpty else { throw .noLanguage }
        let rule: PluralRule
        if let header = file.header["Plural-Forms"] {
            do { rule = try PluralRule(header: header) } catch { throw .pluralForms(error) }
        } else {
            rule = .english
        }
        if let charset = file.header["Content-Type"]?.split(separator: "=").last, charset.lowercased() != "utf-8" {
            throw .notUTF8(String(charset))
        }
        var seen = Set<Key>()
        for entry in file.entries {
            guard seen.insert(Key(context: entry.context, id: entry.id)).inserted else { throw .duplicate(entry.id, line: entry.line) }
            if entry.plural != nil, entry.translations.count != rule.count {
                throw .pluralCount(entry.id, line: entry.line, expected: rule.count, found: entry.translations.count)
            }
        }
        self.init(language: language, pluralRule: rule, entries: file.entries)
    }

    /// The catalog's own text for the message, before its placeholders are filled; nil when it
    /// has none (not in the file, or an empty translation).
    public func translation(of message: Message) -> String? {
        guard let forms = translations[Key(context: message.context, id: message.id)] else { return nil }
        let form = message.plural == nil ? 0 : pluralRule.form(for: message.count ?? 0)
        guard form < forms.count, !forms[form].isEmpty else { return nil }
        return forms[form]
    }

    /// The message in this language, placeholders filled, a message given as a placeholder's
    /// value translated too.
    public func text(_ message: Message) -> String {
        let english = message.plural.map { message.count == 1 ? message.id : $0 } ?? message.id
        let values = message.arguments.mapValues { argument in
            switch argument {
            case .text(let text): text
            case .message(let inner): self.text(inner)
            }
        }
        return Placeholders.substitute(translation(of: message) ?? english, values)
    }
}

public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(POError)
    case noLanguage
    case pluralForms(PluralRuleError)
    case notUTF8(String)
    case duplicate(String, line: Int)
    case pluralCount(String, line: Int, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .syntax(let error): "\(error)"
        case .noLanguage: "the header has no Language field"
        case .pluralForms(let error): "the header's \(error)"
        case .notUTF8(let charset): "the charset is \(charset); only UTF-8 is read"
        case .duplicate(let id, let line): "line \(line): \"\(id)\" is translated twice"
        case .pluralCount(let id, let line, let expected, let found):
            "line \(line): \"\(id)\" has \(found) plural forms, but Plural-Forms says nplurals=\(expected)"
        }
    }
}

extension Message {
    /// The message in the sources' English, for what is never translated (the JSON APIs, logs).
    public var englishText: String { Catalog.source.text(self) }
}
