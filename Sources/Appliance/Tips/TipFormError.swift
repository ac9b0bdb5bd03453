import Hummingbird
import Vault

/// Why a submitted tip form was refused. Each case is a sentence the tipster can act on; none
/// repeats anything they sent, so no part of a tip ever reaches a page or a log through here.
enum TipFormError: Error, Equatable, Sendable {
    /// The body is not `multipart/form-data` (the tip form's only encoding).
    case notMultipart
    /// `multipart/form-data` without a boundary RFC 2046 allows.
    case missingBoundary
    /// The multipart syntax is broken, or a part is not one the tip form has.
    case malformed(String)
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

    var message: String {
        switch self {
        case .notMultipart:
            "The tip must be sent with the tip form (multipart/form-data). Nothing was stored."
        case .missingBoundary:
            "The form could not be read: its Content-Type has no valid multipart boundary. Nothing was stored."
        case .malformed(let why):
            "The form could not be read: \(why). Nothing was stored."
        case .tipTooLarge(let limit):
            "The tip is too large: the limit is \(Self.spelled(limit)). Nothing was stored."
        case .messageTooLarge(let limit):
            "The message is too long: the limit is \(Self.spelled(limit)) of text. Nothing was stored."
        case .messageNotUTF8:
            "The message could not be read: it is not valid UTF-8 text. Nothing was stored."
        case .emptyMessage:
            "There is nothing to send: write something in the message box, or attach a file."
        case .tooManyFiles(let limit):
            "The tip has too many files: the limit is \(limit) files in one tip. Send the others in another tip. Nothing was stored."
        case .uploadTooSlow(let pace):
            "The upload was too slow: a tip may take at most \(pace.timeoutSeconds / 60) minutes to send, at \(Self.spelled(pace.minBytesPerSecond)) per second or more. Try again, or send fewer files. Nothing was stored."
        case .unknownField:
            "The form could not be read: it carried a field the tip form does not have. Nothing was stored."
        case .codenameTooLong:
            "That is not a codename: it is far longer than one. Check it against what you wrote down. Nothing was stored."
        case .notACodename(let why):
            "That is not a codename: \(why). Check it against what you wrote down. Nothing was stored."
        }
    }

    /// The refusal as the pages show it.
    var userFacing: UserFacingError { UserFacingError(status, message) }

    /// "100 MiB (104857600 bytes)", "about 2 MiB (2000000 bytes)", "4 KiB (4096 bytes)", "5000 bytes": the operator configures
    /// bytes, a tipster thinks in MiB; both are given.
    static func spelled(_ bytes: Int) -> String {
        let mebibyte = 1024 * 1024
        if bytes >= mebibyte, bytes % mebibyte == 0 { return "\(bytes / mebibyte) MiB (\(bytes) bytes)" }
        if bytes >= mebibyte { return "about \((bytes + mebibyte / 2) / mebibyte) MiB (\(bytes) bytes)" }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KiB (\(bytes) bytes)" }
        return "\(bytes) bytes"
    }
}
