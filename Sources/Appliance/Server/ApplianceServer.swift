import Hummingbird
import Logging
import NIOCore
import Vault

/// Assembles the public HTTP server: routes, the middleware that gives every answer its headers,
/// and the connection limits. Nothing here logs a request. The journalists' listener is
/// `InboxServer`: the inbox API has no route here.
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
        var application = Application(
            router: router(service: SecretService(vault: vault, configuration: configuration), logger: logger),
            server: ListenerSettings.server(configuration.http),
            configuration: ListenerSettings.application(configuration.listen),
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
