/// A configuration problem, reported to the operator as one line before anything is opened.
enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(_ key: String, _ value: String, _ reason: String)
    case syntax(file: String, line: Int, _ reason: String)
    case unknownKey(file: String, line: Int, _ key: String)
    case duplicateKey(file: String, line: Int, _ key: String)
    case unreadable(file: String, _ reason: String)
    case inconsistent(_ reason: String)

    /// Why a value was refused, without repeating the key and the value: on the command line
    /// argument-parser already names the option and what was given.
    var reason: String {
        if case .invalid(_, _, let reason) = self { reason } else { description }
    }

    var description: String {
        switch self {
        case .invalid(let key, let value, let reason): "\(key) = \(value): \(reason)"
        case .syntax(let file, let line, let reason): "\(file):\(line): \(reason)"
        case .unknownKey(let file, let line, let key): "\(file):\(line): unknown key '\(key)' (every key is in ashlink.conf.example, /usr/share/doc/ashlink/examples/ in the package)"
        case .duplicateKey(let file, let line, let key): "\(file):\(line): '\(key)' is set twice"
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .inconsistent(let reason): reason
        }
    }
}
