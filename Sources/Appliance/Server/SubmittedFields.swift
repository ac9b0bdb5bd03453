import Hummingbird
import Translation

/// The fields a create or reveal may carry. The web forms and the API share these names.
struct SubmittedFields: Sendable {
    var secret: String?
    var passphrase: String?
    var ttl: String?

    /// Reads the form-encoded body (and, through the API, the query string, as Onetime Secret's
    /// clients may send either). The body is collected up to the context's limit: beyond it the
    /// request fails with 413 before anything is decoded or stored.
    static func read(from request: Request, context: some RequestContext, door: FrontDoor) async throws -> SubmittedFields {
        let body = try await BoundedBody.collect(request, upTo: context.maxUploadSize)
        var fields = try decode(Array(buffer: body))
        if door == .api, let query = request.uri.query {
            let fromQuery = try decode(Array(query.utf8))
            fields.secret = fields.secret ?? fromQuery.secret
            fields.passphrase = fields.passphrase ?? fromQuery.passphrase
            fields.ttl = fields.ttl ?? fromQuery.ttl
        }
        return fields
    }

    /// The TTL in seconds, nil for "not given" (the default applies); absurd values are clamped later.
    func ttlSeconds() throws -> Int? {
        guard let ttl, !ttl.isEmpty else { return nil }
        guard let seconds = Int(ttl), seconds > 0 else {
            throw UserFacingError(.badRequest, Message("The expiry (ttl) must be a whole number of seconds."))
        }
        return seconds
    }

    static func decode(_ encoded: [UInt8]) throws -> SubmittedFields {
        guard !encoded.isEmpty else { return SubmittedFields() }
        // A secret must arrive exactly as sent or not at all: broken UTF-8 is refused, never
        // repaired into U+FFFD.
        guard String(validating: encoded, as: UTF8.self) != nil, percentDecodesToUTF8(encoded) else {
            throw UserFacingError(.badRequest, Message("The form could not be read: it is not valid UTF-8 text."))
        }
        var fields = SubmittedFields()
        for pair in encoded.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            // A piece without "=" is no field (as in every form decoder), and is skipped.
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            guard let name = percentDecoded(pair[..<equals], plusIsSpace: false),
                  let value = percentDecoded(pair[(equals + 1)...], plusIsSpace: true) else { throw notFormEncoded }
            try fields.take(name, value)
        }
        return fields
    }

    private static var notFormEncoded: UserFacingError {
        UserFacingError(.badRequest, Message("The form could not be read: it is not valid form encoding."))
    }

    /// Keeps one of the three fields; any other name is ignored. A field sent twice, or as a
    /// list or map (`secret[]=`, `secret[a]=`), is refused: which value was meant cannot be told.
    private mutating func take(_ name: String, _ value: String) throws {
        let field: WritableKeyPath<SubmittedFields, String?>
        switch name {
        case "secret": field = \.secret
        case "passphrase": field = \.passphrase
        case "ttl": field = \.ttl
        default:
            if ["secret[", "passphrase[", "ttl["].contains(where: name.hasPrefix) { throw Self.notFormEncoded }
            return
        }
        guard self[keyPath: field] == nil else { throw Self.notFormEncoded }
        self[keyPath: field] = value
    }

    /// A name or value as typed: `%XX` is the byte it stands for, and in a value `+` a space; nil
    /// for a `%` that starts no escape. The caller has checked that the result is UTF-8.
    private static func percentDecoded(_ encoded: ArraySlice<UInt8>, plusIsSpace: Bool) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < encoded.endIndex, let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2])
                else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    /// Whether the bytes that the percent-escapes stand for are UTF-8. Separators are ASCII, so
    /// checking the whole decoded body at once checks every field. Malformed escapes are left to
    /// the decoder, which refuses them.
    static func percentDecodesToUTF8(_ encoded: [UInt8]) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            if encoded[index] == UInt8(ascii: "%"), index + 2 < encoded.count,
               let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(encoded[index])
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self) != nil
    }

    /// One hexadecimal digit's value, for percent-escapes (here and in ``CodenameForm``).
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
