/// gettext's `Plural-Forms` header: `nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : …);`. The
/// expression is C's, over the one variable `n`: numbers, `n`, parentheses, `! * / % + - < > <= >=
/// == != && || ?:` with C's precedence, and true as 1. Parsed once, when the catalog is read.
public struct PluralRule: Sendable {
    public let count: Int
    private let expression: Expression

    /// English's rule, and that of every catalog without the header.
    public static let english = PluralRule(count: 2, expression: .binary(.notEqual, .n, .number(1)))

    private init(count: Int, expression: Expression) {
        self.count = count
        self.expression = expression
    }

    /// Parses the header's value. Refuses a rule that, for some `n` up to 1000, picks no form.
    public init(header: String) throws(PluralRuleError) {
        var count: Int?
        var expression: Expression?
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard pair.count == 2 else {
                if pair.allSatisfy(\.isEmpty) { continue }
                throw .syntax("expected name=value, found \"\(part.trimmingSpaces)\"")
            }
            switch pair[0] {
            case "nplurals":
                guard let number = Int(pair[1]), (1...6).contains(number) else { throw .syntax("nplurals must be 1 to 6") }
                count = number
            case "plural":
                var parser = Parser(Array(pair[1].utf8))
                expression = try parser.parseWhole()
            default:
                throw .syntax("unknown field \(pair[0])")
            }
        }
        guard let count, let expression else { throw .syntax("needs both nplurals and plural") }
        self.init(count: count, expression: expression)
        for n in 0...1000 where !(0..<count).contains(expression.value(n)) {
            throw .outOfRange(n: n)
        }
    }

    /// Which of the `msgstr[i]` forms is used for `n`.
    public func form(for n: Int) -> Int {
        let form = expression.value(n)
        return (0..<count).contains(form) ? form : 0
    }
}

public enum PluralRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(String)
    case outOfRange(n: Int)

    public var description: String {
        switch self {
        case .syntax(let why): "Plural-Forms: \(why)"
        case .outOfRange(let n): "Plural-Forms: for n = \(n) the rule picks a form that nplurals does not have"
        }
    }
}

private indirect enum Expression: Sendable {
    case n
    case number(Int)
    case not(Expression)
    case binary(Operator, Expression, Expression)
    case choice(Expression, Expression, Expression)

    enum Operator: Sendable {
        case times, divide, remainder, plus, minus, less, greater, lessOrEqual, greaterOrEqual, equal, notEqual, and, or
    }

    func value(_ n: Int) -> Int {
        switch self {
        case .n: return n
        case .number(let number): return number
        case .not(let operand): return operand.value(n) == 0 ? 1 : 0
        case .choice(let condition, let then, let otherwise): return condition.value(n) != 0 ? then.value(n) : otherwise.value(n)
        case .binary(let op, let left, let right):
            let (a, b) = (left.value(n), right.value(n))
            switch op {
            case .times: return a &* b
            // C leaves division by zero undefined; no real rule divides by anything but a constant.
            case .divide: return b == 0 ? 0 : a / b
            case .remainder: return b == 0 ? 0 : a % b
            case .plus: return a &+ b
            case .minus: return a &- b
            case .less: return a < b ? 1 : 0
            case .greater: return a > b ? 1 : 0
            case .lessOrEqual: return a <= b ? 1 : 0
            case .greaterOrEqual: return a >= b ? 1 : 0
            case .equal: return a == b ? 1 : 0
            case .notEqual: return a != b ? 1 : 0
            case .and: return a != 0 && b != 0 ? 1 : 0
            case .or: return a != 0 || b != 0 ? 1 : 0
            }
        }
    }
}

/// Precedence climbing over C's levels, from `?:` (lowest) to the unary `!`.
private struct Parser {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private static let levels: [[(String, Expression.Operator)]] = [
        [("||", .or)],
        [("&&", .and)],
        [("==", .equal), ("!=", .notEqual)],
        [("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .less), (">", .greater)],
        [("+", .plus), ("-", .minus)],
        [("*", .times), ("/", .divide), ("%", .remainder)],
    ]

    mutating func parseWhole() throws(PluralRuleError) -> Expression {
        let expression = try parseChoice(depth: 0)
        skipSpaces()
        guard position == bytes.count else { throw .syntax("unexpected text at column \(position + 1) of the rule") }
        return expression
    }

    private mutating func parseChoice(depth: Int) throws(PluralRuleError) -> Expression {
        guard depth < 64 else { throw .syntax("the rule is nested too deeply") }
        let condition = try parseLevel(0, depth: depth)
        guard take("?") else { return condition }
        let then = try parseChoice(depth: depth + 1)
        guard take(":") else { throw .syntax("a ? without its : at column \(position + 1)") }
        return .choice(condition, then, try parseChoice(depth: depth + 1))
    }

    private mutating func parseLevel(_ level: Int, depth: Int) throws(PluralRuleError) -> Expression {
        guard level < Self.levels.count else { return try parseUnary(depth: depth) }
        var left = try parseLevel(level + 1, depth: depth)
        while let op = takeOperator(Self.levels[level]) {
            left = .binary(op, left, try parseLevel(level + 1, depth: depth))
        }
        return left
    }

    private mutating func parseUnary(depth: Int) throws(PluralRuleError) -> Expression {
        guard depth < 64 else { throw .syntax("the rule is nested too deeply") }
        skipSpaces()
        if peek("!") && !peek("!=") {
            position += 1
            return .not(try parseUnary(depth: depth + 1))
        }
        if take("(") {
            let inner = try parseChoice(depth: depth + 1)
            guard take(")") else { throw .syntax("a ( without its ) at column \(position + 1)") }
            return inner
        }
        if take("n") { return .n }
        var digits = 0
        var number = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]), digits < 9 {
            number = number * 10 + Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
            digits += 1
        }
        guard digits > 0 else { throw .syntax("expected n, a number or ( at column \(position + 1)") }
        return .number(number)
    }

    private mutating func takeOperator(_ choices: [(String, Expression.Operator)]) -> Expression.Operator? {
        skipSpaces()
        for (spelling, op) in choices where peek(spelling) {
            // `<` must not take the first half of `<=`, nor `!` that of `!=`: longer spellings come first.
            position += spelling.utf8.count
            return op
        }
        return nil
    }

    private mutating func take(_ spelling: String) -> Bool {
        skipSpaces()
        guard peek(spelling) else { return false }
        position += spelling.utf8.count
        return true
    }

    private func peek(_ spelling: String) -> Bool {
        let text = Array(spelling.utf8)
        return bytes.count - position >= text.count && Array(bytes[position..<position + text.count]) == text
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
    }
}
