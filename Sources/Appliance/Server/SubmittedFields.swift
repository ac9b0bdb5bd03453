import Hummingbird

/// The fields a create or reveal may carry. The web forms and the API share these names.
struct SubmittedFields: Decodable, Sendable {
    var secret: String?
    var passphrase: String?
    var ttl: String?

    /// Reads the form-encoded body (and, for the API, the query string, as Onetime Secret's
    /// clients may send either). The body is collected up to the configured limit: beyond it the
    /// request fails with 413 before anything is decoded or stored.
    static func read(from request: Request, limit: Int, includingQuery: Bool) async throws -> SubmittedFields {
        var request = request
        let body = try await request.collectBody(upTo: limit)
        var fields = try decode(String(buffer: body))
        if includingQuery, let query = request.uri.query {
            let fromQuery = try decode(query)
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
            throw UserFacingError(.badRequest, "The expiry (ttl) must be a whole number of seconds.")
        }
        return seconds
    }

    private static func decode(_ text: String) throws -> SubmittedFields {
        guard !text.isEmpty else { return SubmittedFields() }
        do {
            return try URLEncodedFormDecoder().decode(SubmittedFields.self, from: text)
        } catch {
            throw UserFacingError(.badRequest, "The form could not be read: it is not valid form encoding.")
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
