import NIOCore
import NIOHTTP1
import Vault

/// The journalists' API of DESIGN.md, as `inbox fetch` and `inbox reply` use it: list the
/// tips, download one into its `TipFile`, acknowledge one, post a reply. Every request carries
/// the bearer token; every answer but the expected ones becomes a one-line reason.
struct InboxAPIClient: Sendable {
    let connection: InboxConnection
    let token: String

    /// The largest listing accepted: far above what `inbox_max_tips` entries take.
    static let listingLimit = 4 << 20

    private var authorization: [(String, String)] { [("Authorization", "Bearer \(token)")] }

    func tips() async throws -> [ListedTip] {
        let json = try await connection.exchange(.GET, "/inbox/v1/tips", headers: authorization) { response in
            guard response.status == .ok else { throw await Self.refusal(of: &response) }
            return Array(try await response.collectBody(upTo: Self.listingLimit).readableBytesView)
        }
        return try TipListing.parse(json)
    }

    enum Download: Equatable {
        case stored
        /// The tip was listed, then acknowledged by another journalist before this download.
        case gone
    }

    /// Streams the tip into `file`: `<id>.age` exists afterwards only if every listed byte arrived.
    func download(_ tip: ListedTip, into file: TipFile) async throws -> Download {
        try await connection.exchange(.GET, "/inbox/v1/tips/\(tip.id)", headers: authorization) { response in
            if response.status == .notFound { return .gone }
            guard response.status == .ok else { throw await Self.refusal(of: &response) }
            let length = try TipLength(listed: tip.bytes, contentLength: response.head.headers["Content-Length"])
            var partial = try file.beginPartial()
            do {
                var received = 0
                while let piece = try await response.nextBodyPart() {
                    received += piece.readableBytes
                    try partial.write(piece)
                }
                try length.check(received: received)
                try partial.commit()
            } catch {
                partial.discard()
                throw error
            }
            return .stored
        }
    }

    /// Deletes the tip on the server for every journalist. 404: someone acknowledged it first.
    func acknowledge(_ id: TipID) async throws {
        try await connection.exchange(.DELETE, "/inbox/v1/tips/\(id)", headers: authorization) { response in
            guard response.status == .noContent || response.status == .notFound else { throw await Self.refusal(of: &response) }
            _ = try await response.collectBody(upTo: 64 << 10)
        }
    }

    /// Posts a reply already encrypted to the conversation's recipient; returns once the inbox
    /// answered 201, which it does only after storing the reply durably.
    func postReply(_ ciphertext: [UInt8], to mailbox: MailboxID) async throws {
        let headers = authorization + [("Ashlink-Mailbox", mailbox.text), ("Content-Type", "application/octet-stream")]
        try await connection.exchange(.POST, "/inbox/v1/replies", headers: headers, body: ciphertext) { response in
            guard response.status == .created else { throw await Self.refusal(of: &response) }
            _ = try await response.collectBody(upTo: 64 << 10)
        }
    }

    /// An unexpected answer in words: 401 is the token; anything else gives its status and the
    /// API's `{"error": …}` text, stripped of anything a terminal would interpret.
    static func refusal(of response: inout InboxResponse) async -> InboxClientError {
        if response.status == .unauthorized { return InboxClientError("the inbox refused the access token") }
        let status = "the inbox answered \(response.status.code)"
        guard let body = try? await response.collectBody(upTo: 64 << 10),
              let explanation = APIErrorText.parse(Array(body.readableBytesView)) else { return InboxClientError(status) }
        return InboxClientError("\(status): \(explanation)")
    }
}
