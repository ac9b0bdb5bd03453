import Hummingbird
import Logging
import NIOCore
import Vault

/// Assembles the journalists' HTTP server on `inbox_listen`: the inbox API (tips and replies) and nothing else,
/// behind the access check, with the public listener's connection limits and headers. The public
/// router has no inbox route at all, so the API cannot be reached through the public onion.
enum InboxServer {
    static func router(configuration: ApplianceConfiguration, vault: Vault, logger: Logger) -> Router<ApplianceRequestContext> {
        let router = Router(context: ApplianceRequestContext.self)
        // Outermost first: every answer gets the headers, errors (the 401 included) become JSON
        // inside them, and only a request with a valid token gets further, even to a 404.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorAnswerMiddleware(format: .inboxJSON, logger: logger))
        router.add(middleware: InboxAccessMiddleware(verifiers: configuration.inbox.access))
        InboxTipsController(vault: vault).register(on: router)
        InboxRepliesController(vault: vault).register(on: router)
        return router
    }

    static func application(
        listen: ListenAddress,
        configuration: ApplianceConfiguration,
        vault: Vault,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router(configuration: configuration, vault: vault, logger: logger),
            server: ListenerSettings.server(configuration.http),
            configuration: ListenerSettings.application(listen),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// The start-up log line about the inbox: counts and the listener, never a key or verifier.
    static func summary(_ inbox: InboxSettings) -> String {
        guard inbox.isEnabled, let listen = inbox.listen else {
            return "inbox off (no inbox_recipients): no journalists' listener"
        }
        return "inbox on: \(inbox.recipients.count) recipient(s), \(inbox.access.count) access verifier(s), journalists' API on \(listen)"
    }
}
