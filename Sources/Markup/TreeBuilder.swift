/// Nests a template's tokens into ``Node``s: every section, parent and block closed by a tag of
/// its own name, in order. Also lists the templates it includes, for ``MarkupLibrary`` to check.
struct TreeBuilder {
    struct Parsed {
        let nodes: [Node]
        /// Each partial or parent named, with the line that names it.
        let includes: [(name: String, line: Int)]
    }

    /// An open section, parent or block and what has been read inside it.
    private struct Frame {
        let opener: Tag?
        var nodes: [Node] = []
        var overrides: [String: [Node]] = [:]

        var isParent: Bool { opener?.kind == .parent }
    }

    static func parse(_ source: String) throws(MarkupError) -> Parsed {
        var stack = [Frame(opener: nil)]
        var includes: [(name: String, line: Int)] = []
        for token in try Scanner.tokens(source) {
            switch token {
            case .text(let text, _):
                // Inside a parent only its blocks count, as in Mustache.
                if !stack[stack.count - 1].isParent { append(.text(text), to: &stack[stack.count - 1]) }
            case .tag(let tag):
                if stack[stack.count - 1].isParent, tag.kind != .block, tag.kind != .close, tag.kind != .comment {
                    throw MarkupError(
                        line: tag.line, reason: "inside {{<\(stack[stack.count - 1].opener!.name)}} only blocks ({{$name}}) may stand")
                }
                switch tag.kind {
                case .comment:
                    break
                case .variable, .unescaped:
                    append(.variable(try name(tag), escaped: tag.kind == .variable), to: &stack[stack.count - 1])
                case .partial:
                    includes.append((tag.name, tag.line))
                    append(.partial(tag.name, indentation: tag.indentation), to: &stack[stack.count - 1])
                case .section, .inverted, .block, .parent:
                    if tag.kind == .parent { includes.append((tag.name, tag.line)) }
                    if tag.kind == .section || tag.kind == .inverted { _ = try name(tag) }
                    stack.append(Frame(opener: tag))
                case .close:
                    guard stack.count > 1, let opener = stack[stack.count - 1].opener else {
                        throw MarkupError(line: tag.line, reason: "{{/\(tag.name)}} closes no section")
                    }
                    guard opener.name == tag.name else {
                        throw MarkupError(
                            line: tag.line, reason: "{{/\(tag.name)}} closes the section {{\(sigil(opener.kind))\(opener.name)}} of line \(opener.line)")
                    }
                    let frame = stack.removeLast()
                    try close(frame, opener, into: &stack[stack.count - 1])
                }
            }
        }
        if let unclosed = stack.last?.opener {
            throw MarkupError(line: unclosed.line, reason: "{{\(sigil(unclosed.kind))\(unclosed.name)}} is never closed")
        }
        return Parsed(nodes: stack[0].nodes, includes: includes)
    }

    private static func close(_ frame: Frame, _ opener: Tag, into parent: inout Frame) throws(MarkupError) {
        switch opener.kind {
        case .section, .inverted:
            append(.section(try name(opener), inverted: opener.kind == .inverted, frame.nodes), to: &parent)
        case .parent:
            append(.parent(opener.name, indentation: opener.indentation, overrides: frame.overrides), to: &parent)
        case .block where parent.isParent:
            guard parent.overrides.updateValue(frame.nodes, forKey: opener.name) == nil else {
                throw MarkupError(line: opener.line, reason: "the block {{$\(opener.name)}} is given twice")
            }
        case .block:
            append(.block(opener.name, indentation: opener.indentation, defaultContent: frame.nodes), to: &parent)
        case .variable, .unescaped, .close, .comment, .partial:
            preconditionFailure("only sections, parents and blocks are opened")
        }
    }

    private static func name(_ tag: Tag) throws(MarkupError) -> Name {
        guard let name = Name(tag.name) else {
            throw MarkupError(line: tag.line, reason: "\"\(tag.name)\" is not a name (letters, digits, _ - ?, parts joined by dots)")
        }
        return name
    }

    /// Neighbouring text becomes one node.
    private static func append(_ node: Node, to frame: inout Frame) {
        if case .text(let more) = node, case .text(let earlier)? = frame.nodes.last {
            frame.nodes[frame.nodes.count - 1] = .text(earlier + more)
        } else {
            frame.nodes.append(node)
        }
    }

    private static func sigil(_ kind: Tag.Kind) -> String {
        switch kind {
        case .section: "#"
        case .inverted: "^"
        case .parent: "<"
        case .block: "$"
        case .variable, .unescaped, .close, .comment, .partial: ""
        }
    }
}
