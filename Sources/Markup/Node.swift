/// A parsed template: text as it is written, and the tags, nested as their sections nest.
indirect enum Node: Sendable, Equatable {
    case text(String)
    /// `{{name}}`, escaped, or `{{{name}}}` / `{{& name}}`, as it is.
    case variable(Name, escaped: Bool)
    /// `{{#name}}…{{/name}}`, or with `inverted` `{{^name}}…{{/name}}`.
    case section(Name, inverted: Bool, [Node])
    /// `{{>name}}`, with the indentation of its line when it stood alone on it.
    case partial(String, indentation: String)
    /// `{{<name}}…{{/name}}`: that template, with the blocks given here in place of its own.
    case parent(String, indentation: String, overrides: [String: [Node]])
    /// `{{$name}}default{{/name}}`: a block a child template may replace.
    case block(String, indentation: String, defaultContent: [Node])
}

/// A value's name: `.` (the value on top of the stack) or dotted components, each looked up in
/// the value the one before named (the first through the whole stack, top down).
struct Name: Sendable, Equatable {
    let components: [String]

    init?(_ text: String) {
        if text == "." {
            components = []
            return
        }
        let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard components.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isNameByte) }) else { return nil }
        self.components = components
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "?"):
            true
        default:
            false
        }
    }
}
