import Hummingbird
import Logging
import NIOCore
import Vault

/// Assembles the public HTTP server: routes, the middleware that gives every answer its headers,
/// and the connection limits. Nothing here logs a request. The journalists' listener is
/// `InboxServer`: the inbox API has no route here.
enum ApplianceServer {
    static func router(service: SecretService, pages: PageRenderer, logger: Logger) -> Router<ApplianceRequestContext> {
        let router = Router(context: ApplianceRequestContext.self)
        // Outermost first: every response gets the headers, then errors become pages inside;
        // the API's group answers its errors in JSON before they get this far.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorAnswerMiddleware(format: .page(pages, languageCode: nil), logger: logger))
        router.add(middleware: BodyLimitMiddleware(maxBodyBytes: service.configuration.http.maxBodyBytes))
        router.add(middleware: CircuitShareMiddleware())
        let web = WebController(service: service, pages: pages)
        let tips = TipController(service: service, pages: pages)
        web.register(on: router)
        tips.register(on: router)
        // Each language's copy of the pages under its prefix; anything else under a prefix, and
        // any prefix not offered, is no route, so a 404 like any unknown path.
        for language in service.languages.offered {
            let group = router.group(RouterPath(language.code))
                .add(middleware: LanguageMiddleware(code: language.code))
                .add(middleware: ErrorAnswerMiddleware(format: .page(pages, languageCode: language.code), logger: logger))
            web.register(on: group)
            tips.register(on: group)
        }
        OnetimeSecretController(service: service, logger: logger).register(on: router)
        return router
    }

    /// `pages`, when given, were built while the vault opened (``Serve``): each is a good part of
    /// the start, one waiting on the disk, the other on the processor.
    static func application(
        configuration: ApplianceConfiguration,
        vault: Vault,
        pages: PageRenderer? = nil,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) -> some ApplicationProtocol {
        let service = SecretService(vault: vault, configuration: configuration)
        var application = Application(
            router: router(service: service, pages: pages ?? PageRenderer(languages: service.languages), logger: logger),
            server: ListenerSettings.publicServer(configuration.http),
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
