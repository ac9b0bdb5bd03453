import Hummingbird

/// The Content-Security-Policy of every answer (README, "Pages"): nothing external, no script, no
/// framing, forms only to this site. A page may also apply its own inline style blocks, each named
/// by its SHA-256, and no other style (``PageStyle``); every other answer (the API's JSON, a
/// redirect, the journalists' listener) may apply none.
enum ContentSecurity {
    static func page(styleHashes main: String, _ noscript: String) -> String {
        let policy: ContentSecurityPolicy = [
            .defaultSrc(.none),
            .styleSrc(.hash(.sha256, base64: main), .hash(.sha256, base64: noscript)),
            .formAction(.self),
            .frameAncestors(.none),
            .baseURI(.none),
        ]
        return policy.description
    }

    static let withoutStyles: String = {
        let policy: ContentSecurityPolicy = [
            .defaultSrc(.none),
            .formAction(.self),
            .frameAncestors(.none),
            .baseURI(.none),
        ]
        return policy.description
    }()
}
