import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSOCKS

/// HTTP/1.1 to the inbox API over SwiftNIO: one connection per request (`Connection: close`), so
/// an answer ends where the connection does and nothing of one exchange can leak into the next.
/// A fetch makes a handful of requests; through tor they share the circuit to the onion anyway.
struct InboxConnection: Sendable {
    /// Long enough for tor on a slow circuit, short enough that a stalled fetch ends with a reason.
    enum Timeouts {
        /// The TCP connection to the inbox, or to the SOCKS port.
        static let connect: TimeAmount = .seconds(30)
        /// tor's reply that it reached the onion (tor gives up on its own after two minutes).
        static let proxyHandshake: TimeAmount = .seconds(120)
        /// Between two reads of an answer.
        static let idle: TimeAmount = .seconds(60)
    }

    let route: InboxRoute
    /// The `Host` header: the onion's name, `127.0.0.1:PORT`, or `localhost` for a Unix socket.
    let host: String
    /// The inbox as the journalist named it, and the proxy, for the reasons of failures.
    let name: String

    init(server: InboxServerAddress, socks: SOCKSProxyAddress?) throws(InboxServerAddress.Refused) {
        route = try InboxRoute(server: server, socks: socks)
        switch server {
        case .http(let host, let port):
            let name = host.contains(":") ? "[\(host)]" : host
            self.host = port == 80 ? name : "\(name):\(port)"
        case .unix:
            host = "localhost"
        }
        name = socks.map { "\(server) through the SOCKS proxy \($0)" } ?? "\(server)"
    }

    /// Sends `method path` with `headers` (and `body`, under its Content-Length), then lets
    /// `handle` read the answer as it arrives; the connection is closed when `handle` returns or
    /// throws. Failures before the answer began are "could not reach"; later ones, other than
    /// `handle`'s own, a broken connection.
    func exchange<Result: Sendable>(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)], body: [UInt8]? = nil,
        handle: (inout InboxResponse) async throws -> Result
    ) async throws -> Result {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await connect()
        } catch {
            throw unreachable(error)
        }
        return try await channel.executeThenClose { inbound, outbound in
            var requestHeaders = HTTPHeaders([("Host", host), ("Connection", "close")])
            requestHeaders.add(contentsOf: headers)
            var parts: [HTTPClientRequestPart] = []
            if let body {
                requestHeaders.add(name: "Content-Length", value: String(body.count))
                parts.append(.body(.byteBuffer(ByteBuffer(bytes: body))))
            }
            let request = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: requestHeaders)
            do {
                // One write: the server may answer and close as soon as the request is complete
                // (or, refusing a body, before), so a separate write of the end might not follow.
                try await outbound.write(contentsOf: [.head(request)] + parts + [.end(nil)])
            } catch {
                // The connection closed meanwhile. What came in is the answer, or says why
                // (a proxy's refusal, a body refused as too large): reading it decides, not this error.
            }
            var response: InboxResponse
            do {
                response = try await InboxResponse(reading: inbound.makeAsyncIterator())
            } catch {
                throw unreachable(error)
            }
            do {
                return try await handle(&response)
            } catch let error as InboxClientError {
                throw error
            } catch {
                throw InboxClientError("the connection to the inbox at \(name) broke during \(method) \(path): \(InboxClientError.words(for: error))")
            }
        }
    }

    private func unreachable(_ error: any Error) -> InboxClientError {
        InboxClientError("could not reach the inbox at \(name): \(InboxClientError.words(for: error))")
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(Timeouts.connect)
        let route = self.route
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                var proxyHandshake: TimeAmount?
                if case .proxied(_, let target) = route {
                    try pipeline.addHandler(SOCKSClientHandler(targetAddress: target))
                    proxyHandshake = Timeouts.proxyHandshake
                }
                try pipeline.addHandler(ReadDeadlineHandler(idle: Timeouts.idle, proxyHandshake: proxyHandshake))
                try pipeline.addHTTPClientHandlers()
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        switch route {
        case .direct(let address), .proxied(let address, _):
            return try await bootstrap.connect(to: address, channelInitializer: initializer)
        case .unix(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        }
    }
}
