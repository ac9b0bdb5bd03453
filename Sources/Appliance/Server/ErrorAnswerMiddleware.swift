import Hummingbird
import Logging

/// Turns every error into a complete answer in the format of the routes it guards, so that errors
/// pass back through the header middlewares like any other response and nothing about the request
/// reaches the log. The router carries the page format for the whole site; the API's router group
/// carries the JSON one, so the format follows the routes, not a test of the path.
struct ErrorAnswerMiddleware<Context: RequestContext>: RouterMiddleware {
    enum Format: Sendable {
        /// An HTML page with a heading and the message.
        case page(PageRenderer)
        /// Onetime Secret's `{"message": ...}` object, written by the context's encoder.
        case json
        /// The journalists' API's `{"error": ...}` object; a 401 also names the scheme it wants
        /// (RFC 9110 section 11.6.1), so the CLI reads one shape for every refusal.
        case inboxJSON
    }

    let format: Format
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorAnswer(for: error, logger: logger)
            switch format {
            case .page(let pages):
                return pages.message(answer.heading, answer.message, status: answer.status)
            case .json:
                var response = try APIResponse.Message(message: answer.message).response(from: request, context: context)
                response.status = answer.status
                return response
            case .inboxJSON:
                var response = try InboxAnswer.Failure(error: answer.message).response(from: request, context: context)
                response.status = answer.status
                if answer.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
                return response
            }
        }
    }
}
