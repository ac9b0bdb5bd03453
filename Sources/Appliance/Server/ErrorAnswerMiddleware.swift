import Hummingbird
import Logging
import Translation

/// Turns every error into a complete answer in the format of the routes it guards, so that errors
/// pass back through the header middlewares like any other response and nothing about the request
/// reaches the log. The router carries the page format for the whole site; the API's router group
/// carries the JSON one, so the format follows the routes, not a test of the path. Each
/// language's router group has its own, so its refusals are pages in its language; the JSON
/// APIs answer in English.
struct ErrorAnswerMiddleware<Context: RequestContext>: RouterMiddleware {
    enum Format: Sendable {
        /// An HTML page with a heading and the message, in the language of the routes it guards
        /// (nil: the default language of the plain addresses).
        case page(PageRenderer, languageCode: String?)
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
            case .page(let pages, let languageCode):
                return pages.page(
                    "message", ["heading": answer.heading, "text": answer.message], request, languageCode: languageCode, status: answer.status)
            case .json:
                var response = try APIResponse.Message(message: answer.englishText).response(from: request, context: context)
                response.status = answer.status
                return response
            case .inboxJSON:
                var response = try InboxAnswer.Failure(error: answer.englishText).response(from: request, context: context)
                response.status = answer.status
                if answer.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
                return response
            }
        }
    }
}
