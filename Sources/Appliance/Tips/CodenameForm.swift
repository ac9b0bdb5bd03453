import Hummingbird
import NIOCore
import SmallFiles
import Translation
import Vault

/// The replies form as `POST /tip/replies` receives it: `application/x-www-form-urlencoded` with
/// one field, `codename`, in a body of at most ``maxBodyBytes``.
///
/// The field is percent-decoded lazily, straight into the codename's guarded memory
/// (``Codename/init(parsingUTF8:)``), so this code makes no copy of the typed codename that would
/// need wiping. (The network's receive buffers are NIO's and are not cleared here.)
enum CodenameForm {
    /// A codename is at most 69 characters; every byte of it percent-encoded is three times that.
    static let maxBodyBytes = 2048

    static func read(_ request: Request) async throws -> Codename {
        let mediaType = request.headers[.contentType]?.prefix(while: { $0 != ";" }).trimmingWhitespace().lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw UserFacingError(.unsupportedMediaType, Message("The codename must be sent with the replies form."))
        }
        let body = try await BoundedBody.collect(request, upTo: maxBodyBytes)
        var field: ByteBufferView?
        let bytes = body.readableBytesView
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let name = pair.prefix(while: { $0 != UInt8(ascii: "=") })
            guard name.elementsEqual("codename".utf8), field == nil else {
                throw UserFacingError(.badRequest, Message("The form could not be read: it carried a field the replies form does not have."))
            }
            field = pair.dropFirst(name.count + 1)
        }
        do {
            return try Codename(parsingUTF8: PercentDecoded(field ?? bytes[bytes.endIndex...]))
        } catch {
            throw UserFacingError(.badRequest, Message(
                "That is not a codename: {reason}. Check it against what you wrote down.", ["reason": .message(TipFormError.reason(error))]))
        }
    }
}

/// A form value's bytes as they were typed: `+` is a space and `%XX` the byte it stands for.
/// A `%` that starts no escape stays itself, which no codename word contains.
struct PercentDecoded<Encoded: Collection<UInt8>>: Sequence where Encoded.SubSequence == Encoded {
    let encoded: Encoded

    init(_ encoded: Encoded) {
        self.encoded = encoded
    }

    struct Iterator: IteratorProtocol {
        var rest: Encoded

        mutating func next() -> UInt8? {
            guard let byte = rest.popFirst() else { return nil }
            switch byte {
            case UInt8(ascii: "+"):
                return UInt8(ascii: " ")
            case UInt8(ascii: "%"):
                let escape = rest.prefix(2)
                guard escape.count == 2, let high = SubmittedFields.hexValue(escape[escape.startIndex]),
                      let low = SubmittedFields.hexValue(escape[escape.index(after: escape.startIndex)]) else { return byte }
                rest = rest.dropFirst(2)
                return high << 4 | low
            default:
                return byte
            }
        }
    }

    func makeIterator() -> Iterator { Iterator(rest: encoded) }
}
