import HTTPTypes
import Hummingbird

/// The response headers every page, API answer and error carries (README, "Pages").
///
/// The Content-Security-Policy comes from Hummingbird's ``ContentSecurityMiddleware``; this adds
/// the rest: nothing cached, no referrer leaves the page, no framing, no cross-origin use.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: ContentSecurityPolicy {
        [
            .defaultSrc(.none),
            .styleSrc(.self),
            .formAction(.self),
            .frameAncestors(.none),
            .baseURI(.none),
        ]
    }

    private let headers: HTTPFields = [
        .cacheControl: "no-store",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers.append(contentsOf: headers)
        return response
    }
}
