import HTTPTypes
import Hummingbird
import SmallFiles
import Vault

/// Lets a request through only with `Authorization: Bearer <token>` for a token one of the
/// `inbox_access` verifiers was made from. Missing, malformed and wrong tokens get the same 401,
/// so an answer never says which part was wrong; nothing about the token is logged or kept.
struct InboxAccessMiddleware: RouterMiddleware {
    typealias Context = ApplianceRequestContext

    let verifiers: [InboxAccess.Verifier]

    static let refusal = UserFacingError(.unauthorized, "A valid access token is needed: Authorization: Bearer <token>.")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard admits(request.headers[.authorization]) else { throw Self.refusal }
        return try await next(request, context)
    }

    /// Every verifier is asked, each in constant time, whatever the earlier ones said: the time
    /// an answer takes does not tell which verifier (if any) matched.
    func admits(_ authorization: String?) -> Bool {
        guard let token = Self.bearerToken(authorization) else { return false }
        let answers = verifiers.map { $0.admits(token) }
        return answers.contains(true)
    }

    /// The token of `Bearer <token>` (the scheme is case-insensitive, RFC 9110 section 11.1), or
    /// nil for any other header; whether the token itself is well-formed the verifier decides.
    static func bearerToken(_ authorization: String?) -> Substring? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingWhitespace()
        return token.isEmpty ? nil : token
    }
}
