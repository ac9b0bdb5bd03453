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
        let headTimeout = TimeAmount.seconds(Int64(limits.headerTimeoutSeconds))
        let shedding = ConnectionShedding(capacity: limits.maxConnections)
        return .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestHeadTimeoutHandler(timeout: headTimeout), shedding.handler(), ClientAbortHandler(), DateHeaderRemover(),
            ],
            idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 100)))
    }

    static func application(_ address: ListenAddress) -> ApplicationConfiguration {
        let bind: BindAddress = switch address {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
        return .init(address: bind, serverName: nil)
    }
}
