/// Where a journalist's `--server` says the inbox API is: `http://HOST[:PORT]` (an onion address
/// reached through tor, or a loopback address) or `unix:/path` (the listener's socket on this
/// machine). Only the form is checked here; `InboxRoute` decides how the host may be reached.
enum InboxServerAddress: Equatable, Sendable, CustomStringConvertible {
    case http(host: String, port: Int)
    case unix(path: String)

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing text: String) throws(Refused) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/"), path.utf8.count < 108, !path.contains("\0") else {
                throw Refused(description: "a Unix socket needs an absolute path shorter than 108 bytes, e.g. unix:/run/ashlink/inbox.sock")
            }
            self = .unix(path: path)
            return
        }
        guard text.hasPrefix("http://") else {
            throw Refused(description: "expected http://HOST[:PORT] or unix:/path (onion services need no https)")
        }
        var authority = text.dropFirst("http://".count)
        // Only the root: the API's paths are fixed, and a path, query or fragment here would be a mistake.
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains(where: { "/?#@".contains($0) }) else {
            throw Refused(description: "give only http://HOST[:PORT]: no path, query, fragment or user name")
        }
        let (host, port) = try Self.splitHostAndPort(authority, defaultPort: 80)
        guard Self.isHostName(host) || InboxRoute.literal(host, port: port) != nil else {
            throw Refused(description: "'\(host)' is neither an IP address nor a host name")
        }
        self = .http(host: host.lowercased(), port: port)
    }

    /// `HOST:PORT`, `[IPv6]:PORT`, or either without the port.
    static func splitHostAndPort(_ text: Substring, defaultPort: Int?) throws(Refused) -> (host: String, port: Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Refused(description: "an IPv6 address needs its closing ]") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw Refused(description: "expected [IPv6]:PORT") }
            if !rest.isEmpty { portText = rest.dropFirst() }
        } else if let colon = text.firstIndex(of: ":") {
            guard colon == text.lastIndex(of: ":") else { throw Refused(description: "an IPv6 address goes in brackets: [::1]:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw Refused(description: "the host is missing") }
        guard let port = portText.map({ Int($0) }) ?? defaultPort else {
            throw Refused(description: portText == nil ? "the port is missing" : "the port must be a number from 1 to 65535")
        }
        guard (1...65535).contains(port) else { throw Refused(description: "the port must be a number from 1 to 65535") }
        return (String(host), port)
    }

    /// DNS's letters-digits-hyphens labels, at most 253 characters: what fits a SOCKS5 domain request.
    static func isHostName(_ host: some StringProtocol) -> Bool {
        guard host.utf8.count <= 253 else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        } && !(labels.last.map { $0.allSatisfy(\.isNumber) } ?? true)
    }

    var description: String {
        switch self {
        case .http(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            return port == 80 ? "http://\(shown)" : "http://\(shown):\(port)"
        case .unix(let path):
            return "unix:\(path)"
        }
    }
}
