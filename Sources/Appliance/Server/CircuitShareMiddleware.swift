import Hummingbird
import Vault

/// Makes the request's circuit the party of every Argon2id run the request asks for, so the
/// gate's per-circuit share (`argon2_max_waiting_per_circuit`) holds however deep in the vault
/// the run starts.
struct CircuitShareMiddleware: RouterMiddleware {
    typealias Context = ApplianceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Argon2Party.$current.withValue(context.circuit.shareKey) {
            try await next(request, context)
        }
    }
}
