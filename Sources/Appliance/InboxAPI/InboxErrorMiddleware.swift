import HTTPTypes
import Hummingbird
import Logging

/// Turns every error on the journalists' listener into `{"error": "..."}` with its status, so the
/// CLI reads one shape for every refusal; a 401 also names the scheme it wants (RFC 9110 section
/// 11.6.1). As on the public listener, refusals are not logged and faults are logged without
/// request data (`ErrorAnswer`).
struct InboxErrorMiddleware: RouterMiddleware {
    typealias Context = ApplianceRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorAnswer(for: error, logger: logger)
            var response = try InboxAnswer.Failure(error: answer.message).response(from: request, context: context)
            response.status = answer.status
            if answer.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }
}
