import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Vault
import XCTest
@testable import Appliance

/// `POST /inbox/v1/replies` through Hummingbird's test client: what the server stores, and
/// everything it refuses before storing, each in the API's JSON error format.
final class InboxRepliesTests: XCTestCase {
    private let access = InboxAccess.generate()

    private static let json = "application/json; charset=utf-8"

    private func withInbox(
        adjusting adjust: (inout VaultConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Vault, ConversationKeys) async throws -> Void
    ) async throws {
        try await InboxTestSetup.withInbox(access: [access], adjusting: adjust) { client, vault in
            try await body(client, vault, try await vault.conversationKeys(for: .generate()))
        }
    }

    /// The headers `ashlink inbox reply` sends, for `mailbox` (none when nil).
    private var headers: @Sendable (String?) -> HTTPFields {
        let token = access.token
        return { mailbox in Self.headers(token: token, mailbox) }
    }

    private static func headers(token: String, _ mailbox: String?) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"]
        if let mailbox { fields[InboxRepliesController.mailboxHeader] = mailbox }
        return fields
    }

    private static func reply(_ text: String, to recipient: AgeRecipient) throws -> [UInt8] {
        var encryptor = try AgeEncryptor(recipients: [recipient])
        return encryptor.header + encryptor.consume(Array(text.utf8)) + encryptor.finish()
    }

    private static func post(
        _ client: any TestClientProtocol, _ body: [UInt8], headers: HTTPFields
    ) async throws -> (HTTPResponse.Status, String, String?) {
        try await client.execute(uri: "/inbox/v1/replies", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType])
        }
    }

    func testAReplyIsStoredForItsMailboxExactlyAsPosted() async throws {
        let headers = headers
        try await withInbox { client, vault, keys in
            let file = try Self.reply("Thank you. Can you say which office sent it?", to: keys.recipient)
            let (status, body, type) = try await Self.post(client, file, headers: headers(keys.mailbox.text))
            XCTAssertEqual(status, .created)
            XCTAssertEqual(body, #"{"stored":true}"#)
            XCTAssertEqual(type, Self.json)
            let taken = try await vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(taken, [file])
        }
    }

    func testWithoutATokenNothingIsStored() async throws {
        try await withInbox { client, vault, keys in
            let file = try Self.reply("unseen", to: keys.recipient)
            let (status, body, _) = try await Self.post(client, file, headers: [InboxRepliesController.mailboxHeader: keys.mailbox.text])
            XCTAssertEqual(status, .unauthorized)
            XCTAssertTrue(body.contains("A valid access token is needed"), body)
            let taken = try await vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(taken, [])
        }
    }

    func testTheMailboxHeaderMustNameOneMailbox() async throws {
        let headers = headers
        try await withInbox { client, _, keys in
            let file = try Self.reply("a reply", to: keys.recipient)
            let missing = try await Self.post(client, file, headers: headers(nil))
            XCTAssertEqual(missing.0, .badRequest)
            XCTAssertEqual(missing.2, Self.json)
            XCTAssertTrue(missing.1.hasPrefix(#"{"error":"The Ashlink-Mailbox header is missing"#), missing.1)
            let text = keys.mailbox.text
            for malformed in [String(text.dropLast()), text + "a", text.uppercased(), "../" + text, ""] {
                let (status, body, _) = try await Self.post(client, file, headers: headers(malformed))
                XCTAssertEqual(status, .badRequest, malformed)
                XCTAssertTrue(body.contains("is not one mailbox id"), body)
                XCTAssertFalse(body.contains(text.prefix(20)), "the refusal never repeats the header")
            }
            var twice = headers(text)
            twice.append(HTTPField(name: InboxRepliesController.mailboxHeader, value: text))
            let (status, body, _) = try await Self.post(client, file, headers: twice)
            XCTAssertEqual(status, .badRequest)
            XCTAssertTrue(body.contains("is not one mailbox id"), body)
        }
    }

    func testOnlyAnAgeFileIsTaken() async throws {
        let headers = headers
        try await withInbox { client, vault, keys in
            let mailbox = headers(keys.mailbox.text)
            let empty = try await Self.post(client, [], headers: mailbox)
            XCTAssertEqual(empty.0, .badRequest)
            XCTAssertEqual(empty.1, #"{"error":"There is nothing to send: the reply is empty."}"#)
            let plaintext = try await Self.post(client, Array("Thank you for the tip\n".utf8), headers: mailbox)
            XCTAssertEqual(plaintext.0, .badRequest)
            XCTAssertEqual(plaintext.2, Self.json)
            XCTAssertTrue(plaintext.1.contains("not a valid age file: not an age file (no age-encryption.org/v1 line)"), plaintext.1)
            let file = try Self.reply("a reply", to: keys.recipient)
            let cut = try await Self.post(client, Array(file.prefix(file.count - 20)), headers: mailbox)
            XCTAssertEqual(cut.0, .badRequest)
            XCTAssertTrue(cut.1.contains("ends before its payload"), cut.1)
            let taken = try await vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(taken, [])
        }
    }

    func testAReplyOverTheVaultsLimitIs413WithTheLimit() async throws {
        let headers = headers
        try await withInbox { client, vault, keys in
            let limit = vault.configuration.maxReplyBytes
            var file = try Self.reply(String(repeating: "x", count: limit), to: keys.recipient)
            file = Array(file.prefix(limit + 1))
            let (status, body, type) = try await Self.post(client, file, headers: headers(keys.mailbox.text))
            XCTAssertEqual(status, .contentTooLarge)
            XCTAssertEqual(type, Self.json)
            XCTAssertEqual(body, #"{"error":"The reply is too large: the limit is \#(limit / 1024) KiB."}"#)
            let (fits, _, _) = try await Self.post(client, Array(file.prefix(limit)), headers: headers(keys.mailbox.text))
            XCTAssertEqual(fits, .created, "the limit itself is allowed (the shape check cannot see a cut payload chunk)")
        }
    }

    func testAFullReplyQuotaIs503AndStoresNothing() async throws {
        let headers = headers
        try await withInbox(adjusting: { $0.maxStoredReplyBytes = 1024 }) { client, vault, keys in
            let first = try Self.reply("fits", to: keys.recipient)
            let (stored, _, _) = try await Self.post(client, first, headers: headers(keys.mailbox.text))
            XCTAssertEqual(stored, .created)
            let large = try Self.reply(String(repeating: "y", count: 900), to: keys.recipient)
            let (status, body, type) = try await Self.post(client, large, headers: headers(keys.mailbox.text))
            XCTAssertEqual(status, .serviceUnavailable)
            XCTAssertEqual(type, Self.json)
            XCTAssertEqual(body, #"{"error":"The replies waiting to be read fill their quota. Please try again later."}"#)
            let taken = try await vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(taken, [first])
        }
    }

    func testAFullMailboxIs503() async throws {
        let headers = headers
        try await withInbox(adjusting: { $0.maxRepliesPerMailbox = 2 }) { client, _, keys in
            for expected in [HTTPResponse.Status.created, .created, .serviceUnavailable] {
                let (status, body, _) = try await Self.post(client, try Self.reply("again", to: keys.recipient), headers: headers(keys.mailbox.text))
                XCTAssertEqual(status, expected, body)
            }
        }
    }

    func testThePublicListenerHasNoRepliesRoute() async throws {
        let headers = headers
        try await InboxTestSetup.withVault(access: [access]) { setup in
            let keys = try await setup.vault.conversationKeys(for: .generate())
            let application = ApplianceServer.application(
                configuration: setup.configuration, vault: setup.vault, logger: Logger(label: "test"), onServerRunning: { _ in })
            try await application.test(.router) { client in
                let (status, _, type) = try await Self.post(client, try Self.reply("misrouted", to: keys.recipient), headers: headers(keys.mailbox.text))
                XCTAssertEqual(status, .notFound)
                XCTAssertEqual(type, "text/html; charset=utf-8", "the site's own page")
            }
            let taken = try await setup.vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(taken, [])
        }
    }
}
