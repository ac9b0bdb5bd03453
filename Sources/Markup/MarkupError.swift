/// Why a template does not parse, or a library does not hold together: the template's name, the
/// line (counted from 1) and what is wrong there. Templates are parsed once at start, so this
/// stops the start, never a request.
public struct MarkupError: Error, Equatable, Sendable, CustomStringConvertible {
    public var template: String?
    public let line: Int
    public let reason: String

    public init(template: String? = nil, line: Int, reason: String) {
        self.template = template
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "\(template.map { "template \($0), " } ?? "")line \(line): \(reason)"
    }
}
