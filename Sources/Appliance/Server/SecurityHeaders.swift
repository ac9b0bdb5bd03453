import HTTPTypes
import Hummingbird

/// The response headers every page, API answer and error carries (README, "Pages").
///
/// A page comes with the Content-Security-Policy that allows its inline styles (``PageStyle``);
/// any other answer gets the one that allows none (``ContentSecurity``). Then the rest: no
/// sniffing, nothing cached, no referrer leaves the page, no framing, no cross-origin use.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let headers: HTTPFields = [
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-store",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = ContentSecurity.withoutStyles
        }
        response.headers.append(contentsOf: headers)
        return response
    }
}
