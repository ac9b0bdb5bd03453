import Hummingbird
import Translation
import Vault

/// Why a submitted tip form was refused. Each case is a sentence the tipster can act on; none
/// repeats anything they sent, so no part of a tip ever reaches a page or a log through here.
enum TipFormError: Error, Equatable, Sendable {
    /// The body is not `multipart/form-data` (the tip form's only encoding).
    case notMultipart
    /// `multipart/form-data` without a boundary RFC 2046 allows.
    case missingBoundary
    /// The multipart syntax is broken, or a part is not one the tip form has.
    case malformed(Message)
    /// The body is over `inbox_max_tip_bytes`.
    case tipTooLarge(limit: Int)
    /// The message alone is over ``TipForm/Limits/maxMessageBytes``.
    case messageTooLarge(limit: Int)
    case messageNotUTF8
    case emptyMessage
    /// More files than `inbox_max_files`.
    case tooManyFiles(limit: Int)
    /// Over the upload's time limit, or under its minimum rate (``UploadPace``).
    case uploadTooSlow(UploadPace)
    /// A field the tip form does not have: refused rather than ignored, for the same reason.
    case unknownField
    /// The `codename` field is longer than any way of typing a codename.
    case codenameTooLong
    /// The `codename` field is not a codename; the reason names no word of it.
    case notACodename(CodenameError)

    var status: HTTPResponse.Status {
        switch self {
        case .notMultipart: .unsupportedMediaType
        case .uploadTooSlow: .requestTimeout
        case .tipTooLarge, .messageTooLarge, .tooManyFiles: .contentTooLarge
        case .missingBoundary, .malformed, .messageNotUTF8, .emptyMessage, .unknownField, .codenameTooLong, .notACodename: .badRequest
        }
    }

    var message: Message {
        switch self {
        case .notMultipart:
            Message("The tip must be sent with the tip form (multipart/form-data). Nothing was stored.")
        case .missingBoundary:
            Message("The form could not be read: its Content-Type has no valid multipart boundary. Nothing was stored.")
        case .malformed(let why):
            Message("The form could not be read: {reason}. Nothing was stored.", ["reason": .message(why)])
        case .tipTooLarge(let limit):
            Message("The tip is too large: the limit is {limit}. Nothing was stored.", ["limit": .message(Self.spelled(limit))])
        case .messageTooLarge(let limit):
            Message("The message is too long: the limit is {limit} of text. Nothing was stored.", ["limit": .message(Self.spelled(limit))])
        case .messageNotUTF8:
            Message("The message could not be read: it is not valid UTF-8 text. Nothing was stored.")
        case .emptyMessage:
            Message("There is nothing to send: write something in the message box, or attach a file.")
        case .tooManyFiles(let limit):
            Message(
                one: "The tip has too many files: the limit is {count} file in one tip. Send the others in another tip. Nothing was stored.",
                other: "The tip has too many files: the limit is {count} files in one tip. Send the others in another tip. Nothing was stored.",
                count: limit)
        case .uploadTooSlow(let pace):
            Message(
                one: "The upload was too slow: a tip may take at most {count} minute to send, at {rate} per second or more. Try again, or send fewer files. Nothing was stored.",
                other: "The upload was too slow: a tip may take at most {count} minutes to send, at {rate} per second or more. Try again, or send fewer files. Nothing was stored.",
                count: pace.timeoutSeconds / 60, ["rate": .message(Self.spelled(pace.minBytesPerSecond))])
        case .unknownField:
            Message("The form could not be read: it carried a field the tip form does not have. Nothing was stored.")
        case .codenameTooLong:
            Message("That is not a codename: it is far longer than one. Check it against what you wrote down. Nothing was stored.")
        case .notACodename(let why):
            Message(
                "That is not a codename: {reason}. Check it against what you wrote down. Nothing was stored.",
                ["reason": .message(Self.reason(why))])
        }
    }

    /// Why a typed codename is not one, in the page's language (Vault's own description is
    /// English, for logs and tests).
    static func reason(_ error: CodenameError) -> Message {
        switch error {
        case .wrongWordCount(let found):
            Message(
                one: "a codename has {words} words, but this has {count}",
                other: "a codename has {words} words, but this has {count}",
                count: found, ["words": "\(Codename.wordCount)"])
        case .unknownWord(let position):
            Message("word {position} of the codename is not one of the codename words: check its spelling", ["position": "\(position)"])
        }
    }

    /// The refusal as the pages show it.
    var userFacing: UserFacingError { UserFacingError(status, message) }

    /// "100 MiB (104857600 bytes)", "about 2 MiB (2000000 bytes)", "4 KiB (4096 bytes)", "5000 bytes": the operator configures
    /// bytes, a tipster thinks in MiB; both are given.
    static func spelled(_ bytes: Int) -> Message {
        let mebibyte = 1024 * 1024
        if bytes >= mebibyte, bytes % mebibyte == 0 {
            return Message("{mebibytes} MiB ({bytes} bytes)", ["mebibytes": "\(bytes / mebibyte)", "bytes": "\(bytes)"])
        }
        if bytes >= mebibyte {
            return Message("about {mebibytes} MiB ({bytes} bytes)", ["mebibytes": "\((bytes + mebibyte / 2) / mebibyte)", "bytes": "\(bytes)"])
        }
        if bytes >= 1024, bytes % 1024 == 0 {
            return Message("{kibibytes} KiB ({bytes} bytes)", ["kibibytes": "\(bytes / 1024)", "bytes": "\(bytes)"])
        }
        return Message(one: "{count} byte", other: "{count} bytes", count: bytes)
    }
}
