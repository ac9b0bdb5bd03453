/// What a page's values may be: the four kinds the templates tell apart.
///
/// A section (`{{#name}}…{{/name}}`) renders once for `true`, for a text or an object (which it
/// puts on top of the lookup stack, as Mustache does: an empty text counts as present), and once
/// per element of a list; it renders nothing for `false`, an empty list or a missing name. An
/// inverted section (`{{^name}}`) renders exactly when a section would not.
public enum MarkupValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([MarkupValue])
    case object([String: MarkupValue])

    /// The value a dotted name's next component names, when this is an object that has it.
    func member(_ name: String) -> MarkupValue? {
        guard case .object(let members) = self else { return nil }
        return members[name]
    }
}

extension MarkupValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .flag(value) }
    public init(integerLiteral value: Int) { self = .text("\(value)") }
    public init(arrayLiteral elements: MarkupValue...) { self = .list(elements) }

    public init(dictionaryLiteral elements: (String, MarkupValue)...) {
        self = .object(Dictionary(elements) { _, _ in preconditionFailure("a value named twice") })
    }
}
