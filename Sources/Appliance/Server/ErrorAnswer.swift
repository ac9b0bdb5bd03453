import Hummingbird
import Logging
import Translation
import Vault

/// What a failed request is told, whichever front door it came through: a status and one
/// sentence that is safe and useful to show, as a message the pages translate (the JSON APIs
/// answer its English text). Faults are logged without request data; refusals
/// are not logged at all.
struct ErrorAnswer: Sendable {
    let status: HTTPResponse.Status
    let message: Message

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
            case .contentTooLarge: Message("The request is too large.")
            case .notFound: Message("There is nothing at this address.")
            case .methodNotAllowed: Message("This address does not accept that kind of request.")
            default: Message("The request could not be handled.")
            }
        default:
            logger.error("unexpected fault: \(type(of: error))")
            (status, message) = (.internalServerError, Message("Something went wrong inside Ashlink. Nothing was stored."))
        }
    }

    /// The replies' refusals reach only the journalists' API, which is English: they are not
    /// in the catalogs.
    private static func describe(_ error: VaultError, logger: Logger) -> (HTTPResponse.Status, Message) {
        switch error {
        case .secretTooLarge(let limit):
            return (.contentTooLarge, Message("The secret is too large: the limit is {kibibytes} KiB.", ["kibibytes": "\(limit / 1024)"]))
        case .passphraseTooLong(let limit):
            return (.contentTooLarge, Message("The passphrase is too long: the limit is {bytes} bytes.", ["bytes": "\(limit)"]))
        case .emptySecret:
            return (.badRequest, Message("There is nothing to share: the secret is empty."))
        case .full:
            return (.serviceUnavailable, Message("Ashlink is busy and cannot take new secrets right now. Please try again later."))
        case .inboxFull:
            return (.serviceUnavailable, Message("The inbox is full, so your tip was not stored. Please try again later."))
        case .busy:
            return (.serviceUnavailable, Message("Ashlink is busy. Please try again in a minute."))
        case .emptyReply:
            return (.badRequest, Message(verbatim: "There is nothing to send: the reply is empty."))
        case .replyTooLarge(let limit):
            return (.contentTooLarge, Message(verbatim: "The reply is too large: the limit is \(limit / 1024) KiB."))
        case .mailboxFull(let limit):
            return (.serviceUnavailable, Message(verbatim: "This conversation already has \(limit) unread replies. Please wait until the source reads them."))
        case .repliesFull:
            return (.serviceUnavailable, Message(verbatim: "The replies waiting to be read fill their quota. Please try again later."))
        case .diskFull, .storage, .ephemeralNeedsRAMBackedDirectory:
            logger.error("vault fault: \(error)")
            return (.serviceUnavailable, Message("Ashlink cannot store secrets right now. Please try again later."))
        }
    }

    /// The message as the JSON APIs give it, which are not translated.
    var englishText: String { Catalog.source.text(message) }

    /// The heading of the HTML error page.
    var heading: Message {
        switch status.code {
        case 404: Message("Not found")
        case 413: Message("Too large")
        case 429, 503: Message("Busy")
        case 400..<500: Message("That did not work")
        default: Message("Something went wrong")
        }
    }
}

/// A refusal whose message is safe and useful to show the person who made the request.
struct UserFacingError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: Message

    /// A refusal the pages can show, in the page's language.
    init(_ status: HTTPResponse.Status, _ message: Message) {
        self.status = status
        self.message = message
    }

    /// A refusal only the JSON APIs give, which are English only.
    init(_ status: HTTPResponse.Status, _ englishText: String) {
        self.init(status, Message(verbatim: englishText))
    }
}
