import Hummingbird
import Vault

/// JSON answers in Onetime Secret's v1 shapes and field names, so its existing clients work unchanged.
/// Handlers return these; the request context's encoder writes them.
enum APIResponse {
    /// The metadata (receipt) object that share, generate, private and burn answer with.
    struct Metadata: ResponseEncodable {
        var custid = "anon"
        var metadata_key: String
        var secret_key: String?
        var ttl: Int
        var metadata_ttl: Int
        var secret_ttl: Int
        var state: String
        var created: Int64
        var updated: Int64
        var received: Int64?
        var recipient: [String] = []
        var passphrase_required: Bool
        /// Generated passwords only.
        var value: String?

        /// Every time is whole minutes, as stored: remaining lifetimes are counted from the current
        /// minute, not second, so that no answer gives away the server's clock to the second.
        init(receiptToken: LinkToken, receipt: Receipt, now: Int64) {
            let now = now / 60 * 60
            metadata_key = receiptToken.text
            secret_key = receipt.secretToken?.text
            ttl = receipt.ttl
            metadata_ttl = Int(max(0, receipt.receiptExpiresMinute * 60 - now))
            secret_ttl = receipt.state == .new ? Int(max(0, receipt.secretExpiresMinute * 60 - now)) : 0
            state = receipt.state.rawValue
            created = receipt.createdMinute * 60
            updated = receipt.updatedMinute * 60
            received = receipt.state == .received ? receipt.updatedMinute * 60 : nil
            passphrase_required = receipt.passphraseRequired
            value = receipt.senderCopy.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    struct Burned: ResponseEncodable {
        var state: Metadata
        var secret_shortkey: String?
    }

    struct Revealed: ResponseEncodable {
        var secret_key: String
        var value: String
    }

    struct Status: ResponseEncodable {
        var status = "nominal"
        var locale = "en"
    }

    struct Message: ResponseEncodable {
        var message: String
    }
}
