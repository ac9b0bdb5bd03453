import Hummingbird
import Logging
import Vault

/// Turns every error into a complete answer (an HTML page, or JSON under `/api/`), so that errors
/// pass back through the header middlewares like any other response and nothing about the request
/// reaches the log.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageRenderer
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message) = describe(error)
            if request.uri.path.hasPrefix("/api/") {
                return APIResponse.message(message, status: status)
            }
            return pages.message(Self.heading(for: status), message, status: status)
        }
    }

    private func describe(_ error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as UserFacingError:
            return (error.status, error.message)
        case let error as VaultError:
            switch error {
            case .secretTooLarge(let limit):
                return (.contentTooLarge, "The secret is too large: the limit is \(limit / 1024) KiB.")
            case .passphraseTooLong(let limit):
                return (.contentTooLarge, "The passphrase is too long: the limit is \(limit) bytes.")
            case .emptySecret:
                return (.badRequest, "There is nothing to share: the secret is empty.")
            case .full:
                return (.serviceUnavailable, "Ashlink is busy and cannot take new secrets right now. Please try again later.")
            case .diskFull, .storage, .ephemeralNeedsRAMBackedDirectory:
                logger.error("vault fault: \(error)")
                return (.serviceUnavailable, "Ashlink cannot store secrets right now. Please try again later.")
            }
        case let error as any HTTPResponseError:
            // Hummingbird's own refusals (unknown route, wrong method, body over the limit ...).
            switch error.status {
            case .contentTooLarge: return (error.status, "The request is too large.")
            case .notFound: return (error.status, "There is nothing at this address.")
            case .methodNotAllowed: return (error.status, "This address does not accept that kind of request.")
            default: return (error.status, "The request could not be handled.")
            }
        default:
            logger.error("unexpected fault: \(type(of: error))")
            return (.internalServerError, "Something went wrong inside Ashlink. Nothing was stored.")
        }
    }

    private static func heading(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "Not found"
        case 413: "Too large"
        case 429, 503: "Busy"
        case 400..<500: "That did not work"
        default: "Something went wrong"
        }
    }
}
