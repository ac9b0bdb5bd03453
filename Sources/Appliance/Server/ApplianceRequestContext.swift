import FoundationEssentials
import Hummingbird
import NIOCore

/// What every handler is given besides the request: Hummingbird's core storage, the body limit
/// of this installation, the language prefix the page was asked for, and the JSON encoder that
/// spells API answers as Onetime Secret does.
struct ApplianceRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    /// The most body a handler collects; beyond it the request fails with 413 before anything is
    /// decoded or stored. `BodyLimitMiddleware` sets the configured `max_body_bytes` before any
    /// route runs; until then the embedded default holds, never Hummingbird's larger one.
    var maxUploadSize: Int

    /// Completes when the client's connection closes (``untilClientLeaves(_:)``).
    let connectionClosed: EventLoopFuture<Void>

    /// The `/{code}/` the request came under (``LanguageMiddleware``); nil at the plain
    /// addresses, which serve the default language.
    var languageCode: String?

    /// The tor circuit the connection came on (``ProxyHeaderHandler``), for the fair shares.
    let circuit: CircuitIdentity

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        circuit = ConnectionCircuit.current?.value ?? .unidentified
        maxUploadSize = ApplianceConfiguration.HTTPLimits().maxBodyBytes
        connectionClosed = source.channel.closeFuture
    }

    /// Runs `work`, cancelled as soon as the client's connection closes: a passphrase or
    /// codename check still waiting for the Argon2 gate then leaves the queue instead of
    /// running for nobody (``VaultError/busy`` is its answer, which nobody reads).
    func untilClientLeaves<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        connectionClosed.whenComplete { _ in task.cancel() }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Sorted keys and unescaped slashes: stable answers that Onetime Secret's clients read as
    /// their own. An answer that cannot be encoded is an error, never an empty object.
    var responseEncoder: JSONEncoder { Self.encoder }

    /// Made once: every API answer would otherwise build and configure its own encoder.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// Puts the configured body limit into every request's context.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ApplianceRequestContext

    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodyBytes
        return try await next(request, context)
    }
}

/// Marks every request under one language's prefix with its code.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = ApplianceRequestContext

    let code: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.languageCode = code
        return try await next(request, context)
    }
}
