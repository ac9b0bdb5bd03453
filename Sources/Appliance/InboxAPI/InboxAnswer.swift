import Hummingbird
import Vault

/// The JSON shapes of the journalists' API (DESIGN.md, "Journalists' API"); the request
/// context's encoder writes them.
enum InboxAnswer {
    struct TipList: ResponseEncodable {
        var tips: [Tip]
    }

    /// One stored tip: nothing but what the vault keeps about it.
    struct Tip: Encodable, Sendable {
        var id: String
        var bytes: Int
        var received: String

        init(_ tip: StoredTip) {
            id = tip.id.text
            bytes = tip.bytes
            received = tip.received
        }
    }

    /// `POST /inbox/v1/replies` stored the reply durably.
    struct Stored: ResponseEncodable {
        var stored: Bool
    }

    struct Failure: ResponseEncodable {
        var error: String
    }
}
