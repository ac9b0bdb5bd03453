import NIOCore
import NIOSOCKS

/// How `inbox fetch` reaches the inbox, decided before anything is sent. Nothing here ever asks
/// DNS: an onion address must reach tor as a name (tor resolves it inside the Tor network; a
/// local lookup would leak which onion the journalist visits), and any other name would be
/// resolved by whatever resolver the machine happens to have.
enum InboxRoute: Equatable, Sendable {
    /// A loopback TCP address, connected to directly.
    case direct(SocketAddress)
    /// The listener's Unix socket on this machine.
    case unix(path: String)
    /// Through a SOCKS5 proxy (tor's SocksPort), which is given `target`: a host name as a name.
    case proxied(proxy: SocketAddress, target: SOCKSAddress)

    init(server: InboxServerAddress, socks: SOCKSProxyAddress?) throws(InboxServerAddress.Refused) {
        switch (server, socks) {
        case (.unix(let path), nil):
            self = .unix(path: path)
        case (.unix, .some):
            throw InboxServerAddress.Refused(description: "--socks reaches a host through tor; a unix: server is on this machine and needs none")
        case (.http(let host, let port), .some(let socks)):
            let target: SOCKSAddress = Self.literal(host, port: port).map { .address($0) } ?? .domain(host, port: port)
            self = .proxied(proxy: socks.address, target: target)
        case (.http(let host, let port), nil):
            if host.hasSuffix(".onion") {
                throw InboxServerAddress.Refused(description: "\(server) is an onion address: give tor's SOCKS port with --socks, e.g. --socks 127.0.0.1:9050")
            }
            // localhost is loopback by definition (RFC 6761): no resolver is asked.
            let literalHost = host == "localhost" ? "127.0.0.1" : host
            guard let address = Self.literal(literalHost, port: port) else {
                throw InboxServerAddress.Refused(description: "\(host) is a host name, and inbox fetch never resolves names: give its IP address, or reach it through tor with --socks")
            }
            guard ListenAddress.isLoopback(literalHost) else {
                throw InboxServerAddress.Refused(description: "\(host) is not a loopback address: plain HTTP would carry the access token across the network; reach the inbox through tor with --socks")
            }
            self = .direct(address)
        }
    }

    /// The address an IP literal denotes, parsed without a resolver (inet_pton); nil for a name.
    static func literal(_ host: String, port: Int) -> SocketAddress? {
        try? SocketAddress(ipAddress: host, port: port)
    }
}

/// `--socks HOST:PORT`: tor's SocksPort, as an IP address (127.0.0.1:9050, or a gateway's
/// address as on Whonix) or `localhost:PORT`, never a name to resolve.
struct SOCKSProxyAddress: Equatable, Sendable, CustomStringConvertible {
    let address: SocketAddress
    let description: String

    init(parsing text: String) throws(InboxServerAddress.Refused) {
        let (host, port) = try InboxServerAddress.splitHostAndPort(Substring(text), defaultPort: nil)
        guard let address = InboxRoute.literal(host == "localhost" ? "127.0.0.1" : host, port: port) else {
            throw InboxServerAddress.Refused(description: "expected the SOCKS port as IP:PORT, e.g. 127.0.0.1:9050 (a name would need a resolver)")
        }
        self.address = address
        self.description = text
    }
}
