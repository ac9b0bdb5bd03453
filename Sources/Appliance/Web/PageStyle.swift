import Translation
import Vault

/// A language's inline style block and the Content-Security-Policy of its pages, which allows that
/// block and the `<noscript>` one by their SHA-256 and no other style (docs/decisions/0025-inline-styles.md).
/// Made once at start; every page of the language carries the same bytes, so the same policy.
struct PageStyle: Sendable {
    let block: String
    let contentSecurityPolicy: String

    init(catalog: Catalog) {
        block = Stylesheet.block(in: catalog)
        contentSecurityPolicy = ContentSecurity.page(
            styleHashes: ContentHash.sha256Base64(block), ContentHash.sha256Base64(Stylesheet.noscript))
    }
}
