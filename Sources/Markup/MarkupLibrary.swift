/// Named templates, parsed once, that include each other by name (`{{>name}}`, `{{<name}}`).
///
/// Every name a template includes must be in the library, and no template may include itself,
/// however indirectly: both are found here, at start, not while a page is rendered.
public struct MarkupLibrary: Sendable {
    private let templates: [String: [Node]]

    public init(templates sources: [String: String]) throws(MarkupError) {
        var templates: [String: [Node]] = [:]
        var includes: [String: [(name: String, line: Int)]] = [:]
        for (name, source) in sources {
            do {
                let parsed = try TreeBuilder.parse(source)
                templates[name] = parsed.nodes
                includes[name] = parsed.includes
            } catch var error {
                error.template = name
                throw error
            }
        }
        for (name, included) in includes {
            for (target, line) in included where sources[target] == nil {
                throw MarkupError(template: name, line: line, reason: "it includes \(target), which is not a template")
            }
        }
        try Self.checkNoCycle(includes)
        self.templates = templates
    }

    /// The named template with these values; nil if there is no such template.
    public func render(_ name: String, _ values: [String: MarkupValue]) -> String? {
        guard let nodes = templates[name] else { return nil }
        var out = ""
        var stack: [MarkupValue] = [.object(values)]
        Renderer(templates: templates).render(nodes, &stack, blocks: [:], into: &out)
        return out
    }

    private static func checkNoCycle(_ includes: [String: [(name: String, line: Int)]]) throws(MarkupError) {
        var done: Set<String> = []
        func visit(_ name: String, _ path: [String]) throws(MarkupError) {
            guard !done.contains(name) else { return }
            for (target, line) in includes[name] ?? [] {
                if target == name || path.contains(target) {
                    throw MarkupError(template: name, line: line, reason: "it includes \(target), which includes it")
                }
                try visit(target, path + [name])
            }
            done.insert(name)
        }
        for name in includes.keys.sorted() { try visit(name, []) }
    }
}
