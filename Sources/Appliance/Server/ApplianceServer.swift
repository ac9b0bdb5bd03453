import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Vault

/// Assembles the HTTP server: routes, the middleware that gives every answer its headers, and
/// the connection limits. Nothing here logs a request.
enum ApplianceServer {
    static func router(service: SecretService, logger: Logger) -> Router<ApplianceRequestContext> {
        let router = Router(context: ApplianceRequestContext.self)
        let pages = PageRenderer()
        // Outermost first: every response gets the headers, then errors become pages inside;
        // the API's group answers its errors in JSON before they get this far.
        router.add(middleware: ContentSecurityMiddleware(contentSecurityPolicy: SecurityHeadersMiddleware<ApplianceRequestContext>.contentSecurityPolicy))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorAnswerMiddleware(format: .page(pages), logger: logger))
        router.add(middleware: BodyLimitMiddleware(maxBodyBytes: service.configuration.http.maxBodyBytes))
        WebController(service: service, pages: pages).register(on: router)
        TipController(service: service, pages: pages).register(on: router)
        OnetimeSecretController(service: service, logger: logger).register(on: router)
        return router
    }

    static func application(
        configuration: ApplianceConfiguration,
        vault: Vault,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) -> some ApplicationProtocol {
        let limits = configuration.http
        let headTimeout = TimeAmount.seconds(Int64(limits.headerTimeoutSeconds))
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestHeadTimeoutHandler(timeout: headTimeout)],
            idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 100))
        let address: BindAddress = switch configuration.listen {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
        var application = Application(
            router: router(service: SecretService(vault: vault, configuration: configuration), logger: logger),
            server: .http1(configuration: http1),
            configuration: .init(
                address: address,
                serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            onServerRunning: onServerRunning,
            logger: logger)
        application.addServices(VaultMaintenance(
            vault: vault,
            sweepInterval: .seconds(configuration.sweepIntervalSeconds),
            statsInterval: .seconds(configuration.statsIntervalSeconds),
            logger: logger))
        return application
    }
}
