import Hummingbird

/// The JSON shapes of the journalists' API (DESIGN.md, "Journalists' API"); the request
/// context's encoder writes them.
enum InboxAnswer {
    struct Failure: ResponseEncodable {
        var error: String
    }
}
