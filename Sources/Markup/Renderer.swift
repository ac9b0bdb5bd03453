/// Renders parsed templates: values looked up through a stack (the page's values at the bottom,
/// each section's value above them), partials and parents taken from the library, and the
/// blocks a child template gives used in place of the parent's own, the outermost child's first.
struct Renderer {
    let templates: [String: [Node]]

    func render(_ nodes: [Node], _ stack: inout [MarkupValue], blocks: [String: [Node]], into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .variable(let name, let escaped):
                switch Self.lookup(name, stack) {
                case .text(let text)?: escaped ? Escaping.appendEscaped(text, to: &out) : (out += text)
                case .flag(let flag)?: out += flag ? "true" : "false"
                case .list?, .object?, nil: break
                }
            case .section(let name, let inverted, let children):
                let value = Self.lookup(name, stack)
                if inverted {
                    if Self.isEmpty(value) { render(children, &stack, blocks: blocks, into: &out) }
                    continue
                }
                switch value {
                case nil, .flag(false)?: break
                case .flag(true)?: render(children, &stack, blocks: blocks, into: &out)
                case .list(let items)?:
                    for item in items { renderPushing(item, children, &stack, blocks: blocks, into: &out) }
                case .text?, .object?: renderPushing(value!, children, &stack, blocks: blocks, into: &out)
                }
            case .partial(let name, let indentation):
                indented(indentation, into: &out) { render(template(name), &stack, blocks: blocks, into: &$0) }
            case .parent(let name, let indentation, let overrides):
                let merged = blocks.merging(overrides) { outer, _ in outer }
                indented(indentation, into: &out) { render(template(name), &stack, blocks: merged, into: &$0) }
            case .block(let name, let indentation, let defaultContent):
                indented(indentation, into: &out) { render(blocks[name] ?? defaultContent, &stack, blocks: blocks, into: &$0) }
            }
        }
    }

    private func renderPushing(
        _ value: MarkupValue, _ nodes: [Node], _ stack: inout [MarkupValue], blocks: [String: [Node]], into out: inout String
    ) {
        stack.append(value)
        render(nodes, &stack, blocks: blocks, into: &out)
        stack.removeLast()
    }

    private func template(_ name: String) -> [Node] {
        guard let nodes = templates[name] else { preconditionFailure("the library checked that \(name) exists") }
        return nodes
    }

    /// What an included template renders, each of its lines after the indentation of the line
    /// that included it.
    private func indented(_ indentation: String, into out: inout String, _ render: (inout String) -> Void) {
        guard !indentation.isEmpty else { return render(&out) }
        var rendered = ""
        render(&rendered)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "\n" }
            // What follows the last line break is a line only if it holds something.
            if index < lines.count - 1 || !line.isEmpty || lines.count == 1 { out += indentation }
            out += line
        }
    }

    private static func isEmpty(_ value: MarkupValue?) -> Bool {
        switch value {
        case nil, .flag(false)?: true
        case .list(let items)?: items.isEmpty
        case .flag(true)?, .text?, .object?: false
        }
    }

    private static func lookup(_ name: Name, _ stack: [MarkupValue]) -> MarkupValue? {
        guard let first = name.components.first else { return stack.last }
        for value in stack.reversed() {
            if let found = value.member(first) {
                return name.components.dropFirst().reduce(found) { $0?.member($1) }
            }
        }
        return nil
    }
}
