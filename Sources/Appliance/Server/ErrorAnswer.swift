import Hummingbird
import Logging
import Vault

/// What a failed request is told, whichever front door it came through: a status and one
/// sentence that is safe and useful to show. Faults are logged without request data; refusals
/// are not logged at all.
struct ErrorAnswer: Sendable {
    let status: HTTPResponse.Status
    let message: String

    init(for error: any Error, logger: Logger) {
        switch error {
        case let error as UserFacingError:
            (status, message) = (error.status, error.message)
        case let error as VaultError:
            (status, message) = Self.describe(error, logger: logger)
        case let error as any HTTPResponseError:
            // Hummingbird's own refusals (unknown route, wrong method, body over the limit ...).
            status = error.status
            message = switch error.status {
            case .contentTooLarge: "The request is too large."
            case .notFound: "There is nothing at this address."
            case .methodNotAllowed: "This address does not accept that kind of request."
            default: "The request could not be handled."
            }
        default:
            logger.error("unexpected fault: \(type(of: error))")
            (status, message) = (.internalServerError, "Something went wrong inside Ashlink. Nothing was stored.")
        }
    }

    private static func describe(_ error: VaultError, logger: Logger) -> (HTTPResponse.Status, String) {
        switch error {
        case .secretTooLarge(let limit):
            return (.contentTooLarge, "The secret is too large: the limit is \(limit / 1024) KiB.")
        case .passphraseTooLong(let limit):
            return (.contentTooLarge, "The passphrase is too long: the limit is \(limit) bytes.")
        case .emptySecret:
            return (.badRequest, "There is nothing to share: the secret is empty.")
        case .full:
            return (.serviceUnavailable, "Ashlink is busy and cannot take new secrets right now. Please try again later.")
        case .inboxFull:
            return (.serviceUnavailable, "The inbox is full, so your tip was not stored. Please try again later.")
        case .busy:
            return (.serviceUnavailable, "Ashlink is busy. Please try again in a minute.")
        case .emptyReply:
            return (.badRequest, "There is nothing to send: the reply is empty.")
        case .replyTooLarge(let limit):
            return (.contentTooLarge, "The reply is too large: the limit is \(limit / 1024) KiB.")
        case .mailboxFull(let limit):
            return (.serviceUnavailable, "This conversation already has \(limit) unread replies. Please wait until the source reads them.")
        case .repliesFull:
            return (.serviceUnavailable, "The replies waiting to be read fill their quota. Please try again later.")
        case .diskFull, .storage, .ephemeralNeedsRAMBackedDirectory:
            logger.error("vault fault: \(error)")
            return (.serviceUnavailable, "Ashlink cannot store secrets right now. Please try again later.")
        }
    }

    /// The heading of the HTML error page.
    var heading: String {
        switch status.code {
        case 404: "Not found"
        case 413: "Too large"
        case 429, 503: "Busy"
        case 400..<500: "That did not work"
        default: "Something went wrong"
        }
    }
}

/// A refusal whose message is safe and useful to show the person who made the request.
struct UserFacingError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}
