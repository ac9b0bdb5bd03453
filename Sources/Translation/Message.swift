/// A sentence the pages show, named by its English text (gettext's `msgid`), with the values of
/// its `{name}` placeholders. It stays a message until a ``Catalog`` turns it into one language's
/// text, so the code that decides what to say never decides the language.
///
/// Every message is written as a `Message("…")` or `Message(one: "…", other: "…", count: …)`
/// call with literal text, so that `scripts/extract-messages` finds it in the source.
public struct Message: Sendable, Hashable {
    /// The English text, and the `msgid` of the catalogs.
    public let id: String
    /// gettext's `msgctxt`: tells apart two messages whose English is the same.
    public let context: String?
    /// The English plural (`msgid_plural`), for a message that depends on ``count``.
    public let plural: String?
    /// The number that picks the plural form; it is also the `{count}` placeholder.
    public let count: Int?
    public let arguments: [String: Argument]

    public init(_ id: String, context: String? = nil, _ arguments: [String: Argument] = [:]) {
        self.id = id
        self.context = context
        plural = nil
        count = nil
        self.arguments = arguments
    }

    /// A text that is never translated (the journalists' API answers in English only), given the
    /// same type so that a refusal can carry either. `scripts/extract-messages` skips it.
    public init(verbatim text: String) {
        self.init(text)
    }

    /// A sentence of the Mustache templates, whose `{{#t}}` markers the extractor reads there,
    /// so it skips this call.
    public init(templateSentence: String) {
        self.init(templateSentence)
    }

    public init(one: String, other: String, count: Int, _ arguments: [String: Argument] = [:]) {
        id = one
        context = nil
        plural = other
        self.count = count
        self.arguments = arguments.merging(["count": Argument.text(String(count))]) { given, _ in given }
    }

    /// A placeholder's value: plain text (a number, a date), or a message of its own, translated
    /// in the same language before it is put in.
    public enum Argument: Sendable, Hashable, ExpressibleByStringInterpolation {
        case text(String)
        case message(Message)

        public init(stringLiteral value: String) { self = .text(value) }
        public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }
    }
}
