import Age
import Dispatch
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TipArchive
@testable import Vault
import XCTest
@testable import Appliance

/// The tipster's side of a conversation through Hummingbird's test client, on a real vault: the
/// codename on the received page, the reply address inside the stored tip, follow-ups, the
/// replies page read once, and the busy gate.
final class ConversationPageTests: XCTestCase {
    private let identity = AgeIdentity.generate()
    private let multipart = MultipartBody()

    private func withApplication(
        adjust: (inout ApplianceConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, Vault) async throws -> Void
    ) async throws {
        try await withInboxApplication(recipient: identity.recipient, adjust: adjust, body)
    }

    /// Posts the tip form (with the follow-up form's hidden `codename` when given); the status and page.
    private static func postTip(
        _ client: some TestClientProtocol, _ multipart: MultipartBody, message: String, codename: String? = nil
    ) async throws -> (HTTPResponse.Status, String) {
        let parts = (codename.map { [multipart.field("codename", $0)] } ?? []) + [multipart.field("message", message), multipart.noFileChosen]
        return try await client.execute(
            uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: multipart.closed(parts))
        ) { response in
            TipPageTests.assertPageHeaders(response)
            return (response.status, String(buffer: response.body))
        }
    }

    /// Posts the replies form as a browser encodes it.
    private static func postReplies(_ client: some TestClientProtocol, codename: String) async throws -> (HTTPResponse.Status, String) {
        let encoded = codename.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!.replacingOccurrences(of: "%20", with: "+")
        return try await client.execute(
            uri: "/tip/replies", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "codename=\(encoded)")
        ) { response in
            TipPageTests.assertPageHeaders(response)
            return (response.status, String(buffer: response.body))
        }
    }

    /// The text inside `id="codename"` on a received page.
    private static func codename(on page: String) throws -> String {
        let start = try XCTUnwrap(page.range(of: #"id="codename">"#), page).upperBound
        let end = try XCTUnwrap(page[start...].firstIndex(of: "<"))
        return String(page[start..<end])
    }

    /// Each stored tip's `reply-address.txt`, in the order the vault lists them.
    private static func replyAddresses(_ vault: Vault, identity: AgeIdentity) async throws -> [String] {
        try await TipPageTests.storedTips(vault, identity: identity).map { events in
            let files = TipPageTests.files(events)
            XCTAssertEqual(files.map(\.name).prefix(2), ["message.txt", "reply-address.txt"])
            return String(decoding: try XCTUnwrap(files.first { $0.name == ReplyAddress.fileName }).bytes, as: UTF8.self)
        }
    }

    /// A reply as the journalist's CLI makes it: the text, age-encrypted to the conversation's recipient.
    private static func storeReply(_ text: String, for codename: String, in vault: Vault) async throws {
        let keys = try await vault.conversationKeys(for: try Codename(parsing: codename))
        var encryptor = try AgeEncryptor(recipients: [keys.recipient])
        try await vault.storeReply(encryptor.header + encryptor.consume(Array(text.utf8)) + encryptor.finish(), for: keys.mailbox)
    }

    func testANewTipShowsACodenameAndCarriesItsReplyAddress() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        try await withApplication { client, vault in
            let (status, page) = try await Self.postTip(client, multipart, message: "the first tip")
            XCTAssertEqual(status, .ok)
            XCTAssertTrue(page.contains("Write it down on paper") && page.contains("Nobody can recover it"), page)
            let text = try Self.codename(on: page)
            XCTAssertEqual(text.split(separator: " ", omittingEmptySubsequences: false).count, 7, text)
            let keys = try await vault.conversationKeys(for: try Codename(parsing: text))
            let addresses = try await Self.replyAddresses(vault, identity: identity)
            XCTAssertEqual(addresses, [ReplyAddress(keys).fileContents])
            XCTAssertEqual(try ReplyAddress(parsing: addresses[0]), ReplyAddress(keys))
        }
    }

    func testAFollowUpCarriesTheSameReplyAddressAndNoNewCodename() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        try await withApplication { client, vault in
            let codename = try Self.codename(on: try await Self.postTip(client, multipart, message: "the first tip").1)
            // As a tipster may type it: other case, other spaces.
            let typed = "  " + codename.uppercased().replacingOccurrences(of: " ", with: " \t ") + "\r\n"
            let (status, page) = try await Self.postTip(client, multipart, message: "and one more thing", codename: typed)
            XCTAssertEqual(status, .ok)
            XCTAssertTrue(page.contains("It was added to your conversation"), page)
            XCTAssertFalse(page.contains(#"id="codename""#), "no new codename: \(page)")
            let addresses = try await Self.replyAddresses(vault, identity: identity)
            XCTAssertEqual(addresses.count, 2)
            XCTAssertEqual(Set(addresses).count, 1, "one conversation")
        }
    }

    func testAMalformedCodenameIsA400PageThatQuotesNothingAndStoresNothing() async throws {
        let multipart = self.multipart
        try await withApplication { client, vault in
            let cases = [
                ("", "has 0"), ("abacus zoom", "has 2"), ("abacus abdomen abide zoom unfold aging xylophonic", "word 7"),
                (String(repeating: "abacus ", count: 80), "far longer"),
            ]
            for (codename, reason) in cases {
                let (status, page) = try await Self.postTip(client, multipart, message: "a follow-up", codename: codename)
                XCTAssertEqual(status, .badRequest, codename)
                XCTAssertTrue(page.contains("That is not a codename") && page.contains(reason), page)
                XCTAssertFalse(page.contains("xylophonic") || page.contains("abacus"), page)
            }
            let twice = multipart.form(multipart.field("codename", "a"), multipart.field("codename", "b"), multipart.field("message", "x"))
            try await client.execute(uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: twice)) {
                XCTAssertEqual($0.status, .badRequest)
            }
            for codename in ["", "abacus zoom"] {
                let (status, page) = try await Self.postReplies(client, codename: codename)
                XCTAssertEqual(status, .badRequest)
                XCTAssertTrue(page.contains("That is not a codename"), page)
            }
            let stored = try await vault.tips()
            XCTAssertEqual(stored, [])
        }
    }

    func testTheRepliesFormAsksForTheCodename() async throws {
        try await withApplication { client, _ in
            try await client.execute(uri: "/tip/replies", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                TipPageTests.assertPageHeaders(response)
                let page = String(buffer: response.body)
                XCTAssertTrue(page.contains(#"<form method="post" action="/tip/replies">"#), page)
                XCTAssertTrue(page.contains(#"name="codename" type="text""#) && page.contains(#"autocomplete="off""#), page)
            }
        }
    }

    func testAnUnknownCodenameLooksExactlyLikeAnEmptyMailbox() async throws {
        let multipart = self.multipart
        try await withApplication { client, _ in
            let known = try Self.codename(on: try await Self.postTip(client, multipart, message: "a tip").1)
            let unknown = Codename.generate().text
            let (knownStatus, knownPage) = try await Self.postReplies(client, codename: known)
            let (unknownStatus, unknownPage) = try await Self.postReplies(client, codename: unknown)
            XCTAssertEqual(knownStatus, .ok)
            XCTAssertEqual(unknownStatus, knownStatus)
            XCTAssertEqual(unknownPage.replacingOccurrences(of: unknown, with: "CODENAME"), knownPage.replacingOccurrences(of: known, with: "CODENAME"))
            XCTAssertTrue(knownPage.contains("No replies are waiting"), knownPage)
            XCTAssertTrue(knownPage.contains(#"<form method="post" action="/tip" enctype="multipart/form-data">"#), knownPage)
            XCTAssertTrue(knownPage.contains(#"<input type="hidden" name="codename" value="\#(known)">"#), knownPage)
            XCTAssertTrue(knownPage.contains(#"<textarea id="message" name="message""#) && knownPage.contains(#"type="file" multiple"#), knownPage)
        }
    }

    func testAReplyIsShownOnceEscapedWithItsLineBreaks() async throws {
        let multipart = self.multipart
        try await withApplication { client, vault in
            let codename = try Self.codename(on: try await Self.postTip(client, multipart, message: "a tip").1)
            try await Self.storeReply("Thank you.\nCan you send <b>page 4</b> & 5?", for: codename, in: vault)
            try await Self.storeReply("A second reply", for: codename, in: vault)
            let (status, page) = try await Self.postReplies(client, codename: codename)
            XCTAssertEqual(status, .ok)
            XCTAssertTrue(page.contains(#"<div class="reply-text" dir="auto">Thank you.\#nCan you send &lt;b&gt;page 4&lt;/b&gt; &amp; 5?</div>"#), page)
            XCTAssertLessThan(try XCTUnwrap(page.range(of: "Thank you")).lowerBound, try XCTUnwrap(page.range(of: "A second reply")).lowerBound)
            XCTAssertTrue(page.contains("only time they are shown") && !page.contains("No replies are waiting"), page)
            XCTAssertTrue(page.contains(#"name="codename" value="\#(codename)""#), "the follow-up form too: \(page)")
            let again = try await Self.postReplies(client, codename: codename)
            XCTAssertEqual(again.0, .ok)
            XCTAssertTrue(again.1.contains("No replies are waiting") && !again.1.contains("Thank you"), again.1)
        }
    }

    /// Fifty checks queue for two Argon2 slots; the wait they may take is raised past what a loaded
    /// machine needs for them all, since what is tested is the one winner, not the gate's deadline.
    func testExactlyOneOfFiftyConcurrentReadsGetsTheReply() async throws {
        let multipart = self.multipart
        try await withApplication(adjust: { $0.vault.argon2MaxWaiting = 64; $0.vault.argon2MaxWait = .seconds(300) }) { client, vault in
            let codename = try Self.codename(on: try await Self.postTip(client, multipart, message: "a tip").1)
            try await Self.storeReply("the one reply", for: codename, in: vault)
            let pages = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for _ in 0..<50 { group.addTask { try await Self.postReplies(client, codename: codename) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(pages.map(\.0), Array(repeating: .ok, count: 50))
            XCTAssertEqual(pages.filter { $0.1.contains("the one reply") }.count, 1)
            XCTAssertEqual(pages.filter { $0.1.contains("No replies are waiting") }.count, 49)
        }
    }

    /// With the only Argon2 slot held and no room to wait, a codename check is refused at once, well
    /// before the 10 s a waiting check would take to give up.
    func testAFullGateAnswers503Quickly() async throws {
        let multipart = self.multipart
        try await withApplication(adjust: { $0.vault.argon2Concurrency = 1; $0.vault.argon2MaxWaiting = 0 }) { client, vault in
            let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
            let holding = Task { try await vault.argon2.run { started.signal(); release.wait() } }
            defer { release.signal() }
            await withCheckedContinuation { held in DispatchQueue.global().async { started.wait(); held.resume() } }
            let clock = ContinuousClock()
            let start = clock.now
            let (status, page) = try await Self.postReplies(client, codename: Codename.generate().text)
            let (tipStatus, _) = try await Self.postTip(client, multipart, message: "a tip while busy")
            XCTAssertLessThan(clock.now - start, .seconds(3))
            XCTAssertEqual(status, .serviceUnavailable)
            XCTAssertTrue(page.contains("busy") && page.contains("try again in a minute"), page)
            XCTAssertEqual(tipStatus, .serviceUnavailable)
            let stored = try await vault.tips()
            XCTAssertEqual(stored, [], "a tip refused as busy is not stored")
            release.signal()
            try await holding.value
        }
    }

    func testWithoutTheInboxTheRepliesPagesAre404() async throws {
        try await withApplication(adjust: { $0.inbox = InboxSettings() }) { client, _ in
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(
                    uri: "/tip/replies", method: method, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "codename=x")
                ) { response in
                    XCTAssertEqual(response.status, .notFound, "\(method)")
                    XCTAssertTrue(String(buffer: response.body).contains("tip inbox is not set up"))
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertFalse(String(buffer: response.body).contains("/tip/replies"))
            }
        }
    }
}
