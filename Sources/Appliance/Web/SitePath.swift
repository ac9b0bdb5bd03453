import Vault

/// The pages' link addresses, spelled once: the routes are registered under these prefixes and
/// every link, redirect and form action is built from them.
///
/// - `GET /secret/{key}` asks for confirmation, `POST /secret/{key}` reveals and burns.
/// - `GET /private/{key}` is the receipt, `POST /private/{key}/burn` burns unread.
/// - `GET /tip` is the tip form, `POST /tip` stores a tip.
/// - `GET /tip/replies` asks for a codename, `POST /tip/replies` shows its replies once.
enum SitePath {
    static let secret = "/secret"
    static let receipt = "/private"
    static let tip = "/tip"
    static let replies = "/tip/replies"

    static func secret(_ token: LinkToken) -> String { "\(secret)/\(token.text)" }
    static func receipt(_ token: LinkToken) -> String { "\(receipt)/\(token.text)" }
}
