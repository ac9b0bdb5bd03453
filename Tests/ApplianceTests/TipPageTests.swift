import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TipArchive
import Vault
import XCTest
@testable import Appliance

/// The tipster's pages through Hummingbird's test client, on a real vault file.
final class TipPageTests: XCTestCase {
    private let identity = AgeIdentity.generate()
    private let multipart = MultipartBody()

    private func withApplication(
        inbox: Bool = true,
        adjust: (inout ApplianceConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, Vault) async throws -> Void
    ) async throws {
        try await withInboxApplication(recipient: identity.recipient, inbox: inbox, adjust: adjust, body)
    }

    static func assertPageHeaders(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8", file: file, line: line)
        InlineStyleTests.assertPagePolicy(response.headers[.contentSecurityPolicy], "a tip page", file: file, line: line)
        XCTAssertEqual(response.headers[.cacheControl], "no-store", file: file, line: line)
        XCTAssertEqual(response.headers[HTTPField.Name("Referrer-Policy")!], "no-referrer", file: file, line: line)
        XCTAssertEqual(response.headers[HTTPField.Name("X-Frame-Options")!], "DENY", file: file, line: line)
        XCTAssertNil(response.headers[.setCookie], file: file, line: line)
        XCTAssertFalse(String(buffer: response.body).lowercased().contains("<script"), file: file, line: line)
    }

    func testTheTipFormPostsMultipartWithAMessageAndFiles() async throws {
        try await withApplication { client, _ in
            try await client.execute(uri: "/tip", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                Self.assertPageHeaders(response)
                let page = String(buffer: response.body)
                XCTAssertTrue(page.contains(#"<form method="post" action="/tip" enctype="multipart/form-data">"#), page)
                XCTAssertTrue(page.contains(#"<textarea id="message" name="message""#), page)
                XCTAssertTrue(page.contains(#"maxlength="1048576""#), page)
                XCTAssertTrue(page.contains(#"name="file" type="file" multiple>"#), "the file input is enabled: \(page)")
                XCTAssertTrue(page.contains("up to 20 files, 100 MiB (104857600 bytes) in all"), page)
                XCTAssertTrue(page.contains("author name") && page.contains("GPS") && page.contains("offline computer"), page)
                XCTAssertTrue(page.contains(#"<button type="submit">"#), page)
                XCTAssertTrue(page.contains("encrypted"), page)
                XCTAssertTrue(page.contains("Tor Browser"), page)
                XCTAssertTrue(page.contains(#"<a href="/tip/replies">"#), "the way back to replies: \(page)")
            }
        }
    }

    func testTheStartPageLinksTheTipFormOnlyWhenTheInboxIsOn() async throws {
        try await withApplication { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertTrue(String(buffer: response.body).contains(#"<a href="/tip">"#))
                XCTAssertTrue(String(buffer: response.body).contains(#"<a href="/tip/replies">"#))
            }
        }
        try await withApplication(inbox: false) { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertFalse(String(buffer: response.body).contains("/tip"))
            }
        }
    }

    func testWithoutRecipientsTheTipPagesSayTheInboxIsNotSetUp() async throws {
        let multipart = self.multipart
        try await withApplication(inbox: false) { client, _ in
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(
                    uri: "/tip", method: method, headers: [.contentType: multipart.contentType],
                    body: ByteBuffer(bytes: multipart.tip("hello"))
                ) { response in
                    XCTAssertEqual(response.status, .notFound, "\(method)")
                    Self.assertPageHeaders(response)
                    XCTAssertTrue(String(buffer: response.body).contains("tip inbox is not set up"), "\(method)")
                }
            }
        }
    }

    func testATipIsStoredEncryptedAndReadsBackAsItsMessage() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        let message = "The documents are in locker 12.\r\n<b>not markup</b> é 😀\r\n"
        try await withApplication { client, vault in
            try await client.execute(
                uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: multipart.tip(message))
            ) { response in
                XCTAssertEqual(response.status, .ok)
                Self.assertPageHeaders(response)
                let page = String(buffer: response.body)
                XCTAssertTrue(page.contains("Your tip has arrived"), page)
                XCTAssertTrue(page.contains("encrypted for the newsroom"), page)
                XCTAssertFalse(page.contains("locker"), "the page repeats nothing of the tip")
            }
            let tips = try await Self.storedTips(vault, identity: identity)
            XCTAssertEqual(tips.count, 1)
            XCTAssertEqual(
                tips.first?.prefix(3), [.file(name: TipArchiveWriter.messageName, size: message.utf8.count), .data(Array(message.utf8)), .endOfFile])
        }
    }

    func testAttachmentsAreStoredAfterTheMessageUnderSafeNamesByteForByte() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        // Over one staged chunk (1 MiB) and many age chunks (64 KiB).
        let large = (0..<(1536 * 1024)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        let body = multipart.form(
            multipart.field("message", "two files"), multipart.file("../secret/plan.pdf", large),
            multipart.file("PLAN.pdf", Array("x".utf8)), multipart.noFileChosen)
        try await withApplication { client, vault in
            try await client.execute(uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: body)) { response in
                XCTAssertEqual(response.status, .ok)
            }
            let tips = try await Self.storedTips(vault, identity: identity)
            XCTAssertEqual(tips.count, 1)
            let files = Self.files(tips.first ?? [])
            XCTAssertEqual(files.map(\.name), ["message.txt", "reply-address.txt", "attachments/plan.pdf", "attachments/PLAN-2.pdf"])
            XCTAssertEqual(files.map(\.bytes).dropFirst(2), [large, Array("x".utf8)])
            XCTAssertEqual(files.first?.bytes, Array("two files".utf8))
        }
    }

    /// A tip of files alone still has `message.txt` first, empty, so that every tip opens the same way.
    func testFilesWithoutAMessageStillGetAnEmptyMessageFirst() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        let body = multipart.form(multipart.field("message", ""), multipart.file("scan.png", Array("png".utf8)))
        try await withApplication { client, vault in
            try await client.execute(uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: body)) { response in
                XCTAssertEqual(response.status, .ok)
            }
            let files = Self.files(try await Self.storedTips(vault, identity: identity).first ?? [])
            XCTAssertEqual(files.map(\.name), ["message.txt", "reply-address.txt", "attachments/scan.png"])
            XCTAssertEqual(files.first?.bytes, [])
        }
    }

    /// The archive's members with their bytes joined, whatever chunks they came in.
    static func files(_ events: [TipArchiveReader.Event]) -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        for event in events {
            switch event {
            case .file(let name, _): files.append((name, []))
            case .data(let bytes): files[files.count - 1].bytes += bytes
            case .endOfFile, .directory: break
            }
        }
        return files
    }

    func testATipOverTheLimitIsRefusedWithTheLimitAndNothingIsStored() async throws {
        let multipart = self.multipart
        try await withApplication(adjust: { $0.inbox.maxTipBytes = 4096 }) { client, vault in
            try await client.execute(
                uri: "/tip", method: .post, headers: [.contentType: multipart.contentType],
                body: ByteBuffer(bytes: multipart.tip(String(repeating: "x", count: 5000)))
            ) { response in
                XCTAssertEqual(response.status, .contentTooLarge)
                Self.assertPageHeaders(response)
                XCTAssertTrue(String(buffer: response.body).contains("the limit is 4 KiB (4096 bytes)"))
            }
            let stored = try await vault.tips()
            XCTAssertEqual(stored, [])
        }
        try await withApplication { client, vault in
            try await client.execute(
                uri: "/tip", method: .post, headers: [.contentType: multipart.contentType],
                body: ByteBuffer(bytes: multipart.tip(String(repeating: "m", count: 1024 * 1024 + 1)))
            ) { response in
                XCTAssertEqual(response.status, .contentTooLarge)
                XCTAssertTrue(String(buffer: response.body).contains("The message is too long: the limit is 1 MiB (1048576 bytes)"))
            }
            let stored = try await vault.tips()
            XCTAssertEqual(stored, [])
        }
    }

    func testAFullInboxAnswers503AndKeepsWhatItHas() async throws {
        let (multipart, identity) = (self.multipart, self.identity)
        try await withApplication(adjust: { $0.inbox.maxTips = 1 }) { client, vault in
            for (message, status) in [("the first tip", HTTPResponse.Status.ok), ("the second tip", .serviceUnavailable)] {
                try await client.execute(
                    uri: "/tip", method: .post, headers: [.contentType: multipart.contentType], body: ByteBuffer(bytes: multipart.tip(message))
                ) { response in
                    XCTAssertEqual(response.status, status, message)
                    Self.assertPageHeaders(response)
                    if status == .serviceUnavailable {
                        XCTAssertTrue(String(buffer: response.body).contains("The inbox is full"))
                    }
                }
            }
            let tips = try await Self.storedTips(vault, identity: identity)
            XCTAssertEqual(tips.map { $0.dropFirst().first }, [.data(Array("the first tip".utf8))])
        }
    }

    func testEveryRefusalIsAPageAndStoresNothing() async throws {
        let multipart = self.multipart
        let cases: [(String, String, [UInt8], HTTPResponse.Status, String)] = [
            ("too many files", multipart.contentType,
             multipart.closed([multipart.field("message", "see files")] + (0...20).map { multipart.file("\($0).pdf", Array("%PDF".utf8)) }),
             .contentTooLarge, "the limit is 20 files"),
            ("a file part with bytes but no name", multipart.contentType,
             multipart.form(multipart.part(["Content-Disposition: form-data; name=\"file\"; filename=\"\""], Array("%PDF".utf8))),
             .badRequest, "a file part carries bytes but no file name"),
            ("an empty message", multipart.contentType, multipart.tip(" \r\n"), .badRequest, "write something"),
            ("not UTF-8", multipart.contentType, multipart.form(multipart.part(["Content-Disposition: form-data; name=\"message\""], [0x63, 0xE9])),
             .badRequest, "not valid UTF-8"),
            ("broken multipart", multipart.contentType, Array("--\(multipart.boundary)\r\nnonsense".utf8), .badRequest, "The form could not be read"),
            ("no boundary", "multipart/form-data", multipart.tip("hello"), .badRequest, "no valid multipart boundary"),
            ("form-encoded", "application/x-www-form-urlencoded", Array("message=hello".utf8), .unsupportedMediaType, "multipart/form-data"),
        ]
        try await withApplication { client, vault in
            for (name, contentType, body, status, text) in cases {
                try await client.execute(uri: "/tip", method: .post, headers: [.contentType: contentType], body: ByteBuffer(bytes: body)) { response in
                    XCTAssertEqual(response.status, status, name)
                    Self.assertPageHeaders(response)
                    XCTAssertTrue(String(buffer: response.body).contains(text), name)
                }
            }
            let stored = try await vault.tips()
            XCTAssertEqual(stored, [])
        }
    }

    /// The stored tips as a journalist reads them: age with the newsroom's identity, then tar.
    static func storedTips(_ vault: Vault, identity: AgeIdentity) async throws -> [[TipArchiveReader.Event]] {
        var tips: [[TipArchiveReader.Event]] = []
        for tip in try await vault.tips() {
            let opened = try await vault.openTip(tip.id)
            let reader = try XCTUnwrap(opened)
            var decryptor = AgeDecryptor(identities: [identity])
            var archive = TipArchiveReader()
            var events: [TipArchiveReader.Event] = []
            var (index, stored) = (0, 0)
            while let chunk = try await reader.chunk(index) {
                stored += chunk.count
                index += 1
                events += try archive.consume(try decryptor.consume(chunk))
            }
            XCTAssertEqual(stored, tip.bytes)
            events += try archive.consume(try decryptor.finish())
            try archive.finish()
            tips.append(events)
        }
        return tips
    }
}
