/// Why an age file was refused, in the classes the age specification and its test vectors use:
/// a header that does not parse, no stanza for our identities, a header MAC that does not match
/// the unwrapped file key, or a payload that does not decrypt all the way to its final chunk.
public enum AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    case headerFailure(String)
    case noMatch
    case hmacFailure
    case payloadFailure(String)
    /// A key string (`age1…`, `AGE-SECRET-KEY-1…`) that is not a valid encoding.
    case invalidKey(String)

    public var description: String {
        switch self {
        case .headerFailure(let why): return "not a valid age file: \(why)"
        case .noMatch: return "no identity matches any recipient of this age file"
        case .hmacFailure: return "the age header's MAC does not match: the file was altered"
        case .payloadFailure(let why): return "the age payload is damaged or incomplete: \(why)"
        case .invalidKey(let why): return why
        }
    }
}
