/// Where `ashlink serve` listens: a Unix socket (what tor's `HiddenServicePort` points at)
/// or a loopback TCP address. Anything reachable from another host is refused, because behind
/// Tor nothing but the local tor daemon should ever talk to Ashlink.
enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// Parses `127.0.0.1:PORT` (any 127/8 address), `[::1]:PORT` or `unix:/absolute/path`;
    /// `key` names the setting in the errors (`listen`, `inbox_listen`).
    init(parsing text: String, key: String = "listen") throws(ConfigurationError) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/"), path.utf8.count < 108, !path.contains("\0") else {
                throw .invalid(key, text, "a Unix socket needs an absolute path shorter than 108 bytes, e.g. unix:/run/ashlink/http.sock")
            }
            self = .unix(path: path)
            return
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .invalid(key, text, "expected [::1]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.firstIndex(of: ":"), colon == text.lastIndex(of: ":") else {
                throw .invalid(key, text, "expected 127.0.0.1:PORT, [::1]:PORT (IPv6 in brackets) or unix:/path")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalid(key, text, "the port must be a number from 1 to 65535")
        }
        guard Self.isLoopback(host) else {
            throw .invalid(
                key, text,
                "refusing a non-loopback address: Ashlink serves only 127.0.0.1, [::1] or a Unix socket, and tor publishes it")
        }
        self = .tcp(host: String(host), port: port)
    }

    /// Literal loopback addresses only: a host name could resolve anywhere.
    static func isLoopback(_ host: some StringProtocol) -> Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && Int(part).map { $0 <= 255 } == true
        }
    }

    /// The folder holding a Unix socket (created there at bind, removed from there at shutdown);
    /// nil for TCP, and for a socket directly under `/`, a folder the server must never be given.
    var socketDirectory: String? {
        guard case .unix(let path) = self, let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }

    var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }
}
