import Age
import HTTPTypes
import Hummingbird
import NIOCore
import Vault

/// `POST /inbox/v1/replies` (DESIGN.md, "Journalists' API"): a reply that the journalist's CLI
/// already encrypted to the conversation's key, for the mailbox named in `Ashlink-Mailbox`.
/// The server can open neither; it checks only what it can without a key, that the mailbox id
/// has its form and the body that of an age file, so a mistake is refused here rather than
/// waiting, unreadable, for a tipster (docs/decisions/0018-replies-api-and-cli.md).
struct InboxRepliesController: Sendable {
    typealias Context = ApplianceRequestContext

    static let mailboxHeader = HTTPField.Name("Ashlink-Mailbox")!

    let vault: Vault

    func register(on router: Router<Context>) {
        router.post("inbox/v1/replies", use: store)
    }

    @Sendable func store(_ request: Request, context: Context) async throws -> EditedResponse<InboxAnswer.Stored> {
        let mailbox = try Self.mailbox(request.headers)
        let reply = try await Self.body(of: request, limit: vault.configuration.maxReplyBytes)
        guard !reply.isEmpty else { throw VaultError.emptyReply }
        do {
            try AgeFileShape.check(reply)
        } catch {
            throw UserFacingError(.badRequest, "The reply is refused, it must be the age file `ashlink inbox reply` makes: \(error).")
        }
        try await vault.storeReply(reply, for: mailbox)
        return EditedResponse(status: .created, response: InboxAnswer.Stored(stored: true))
    }

    /// Exactly one `Ashlink-Mailbox` header with a mailbox id; the refusal never repeats the value.
    static func mailbox(_ headers: HTTPFields) throws -> MailboxID {
        let values = headers[values: mailboxHeader]
        guard !values.isEmpty else {
            throw UserFacingError(.badRequest, "The Ashlink-Mailbox header is missing: it names the conversation, from the tip's reply-address.txt.")
        }
        guard values.count == 1, let mailbox = MailboxID(values[0]) else {
            throw UserFacingError(.badRequest, "The Ashlink-Mailbox header is not one mailbox id (52 base32 characters, from the tip's reply-address.txt).")
        }
        return mailbox
    }

    /// The whole body, refused beyond `limit` with the vault's own 413 (which names the limit):
    /// at once when Content-Length announces more, otherwise as soon as more has arrived.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        if let announced = request.headers[.contentLength].flatMap({ Int($0) }), announced > limit {
            throw VaultError.replyTooLarge(limit: limit)
        }
        do {
            return Array(try await BoundedBody.collect(request, upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw VaultError.replyTooLarge(limit: limit)
        }
    }
}
