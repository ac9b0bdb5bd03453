import Hummingbird
import HummingbirdCore
import NIOCore

/// The connection limits every listener shares: the public one and the journalists' one answer
/// to the same header timeout, idle timeout, header sizes and connection cap, so neither is the
/// softer target for a slow or flooding client. The cap is ``ConnectionShedding``'s: beyond it,
/// the connection that has waited longest for a request head is closed. Neither listener sends
/// a `Date` header.
enum ListenerSettings {
    static func server(_ limits: ApplianceConfiguration.HTTPLimits) -> HTTPServerBuilder {
        .http1(configuration: http1(limits))
    }

    /// The public listener: with `proxy_protocol = on`, every connection must open with tor's
    /// PROXY line (``ProxyHeaderHandler``) and each circuit holds at most its share of the
    /// connections. The journalists' listener never takes the line: its onion does not send it.
    static func publicServer(_ limits: ApplianceConfiguration.HTTPLimits) -> HTTPServerBuilder {
        guard limits.proxyProtocol else { return server(limits) }
        let connections = CircuitConnections(perCircuit: limits.maxConnectionsPerCircuit)
        return HTTPServerBuilder { responder in
            CircuitHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: http1(limits)), connections: connections)
        }
    }

    private static func http1(_ limits: ApplianceConfiguration.HTTPLimits) -> HTTP1Channel.Configuration {
        let headTimeout = TimeAmount.seconds(Int64(limits.headerTimeoutSeconds))
        let shedding = ConnectionShedding(capacity: limits.maxConnections)
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestHeadTimeoutHandler(timeout: headTimeout), shedding.handler(), ClientAbortHandler(), DateHeaderRemover(),
            ],
            idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 100))
    }

    static func application(_ address: ListenAddress) -> ApplicationConfiguration {
        let bind: BindAddress = switch address {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
        return .init(address: bind, serverName: nil)
    }
}
