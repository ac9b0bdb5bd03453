import Hummingbird
import Logging

/// The site-wide answer to an error: an HTML page. Registered on the router, inside the header
/// middlewares, so that error pages carry the same headers as any other page.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorAnswer(for: error, logger: logger)
            return pages.message(answer.heading, answer.message, status: answer.status)
        }
    }
}

/// The API group's answer to an error: Onetime Secret's `{"message": ...}` object. Registered on
/// the API's router group, so the format follows the routes, not a test of the path.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = ErrorAnswer(for: error, logger: logger)
            var response = try APIResponse.Message(message: answer.message).response(from: request, context: context)
            response.status = answer.status
            return response
        }
    }
}
