/// A piece of a template's source: text, or one tag, where it starts.
enum Token: Equatable {
    /// Text up to a tag or through the end of a line (`endsLine`: it ends with `\n`).
    case text(String, endsLine: Bool)
    case tag(Tag)
}

struct Tag: Equatable {
    enum Kind: Equatable {
        case variable, unescaped, section, inverted, close, comment, partial, parent, block

        /// The kinds that, alone on a line but for spaces and tabs, take the whole line with
        /// them (the Mustache specification's "standalone" tags).
        var standsAlone: Bool {
            switch self {
            case .variable, .unescaped: false
            case .section, .inverted, .close, .comment, .partial, .parent, .block: true
            }
        }
    }

    let kind: Kind
    /// The name, without the sigil and the spaces around it.
    let name: String
    let line: Int
    /// Spaces and tabs before a standalone tag: a partial's lines are indented by them.
    var indentation = ""
}
