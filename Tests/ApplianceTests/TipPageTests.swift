import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
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
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-tips-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ApplianceConfiguration()
        configuration.dataDirectory = directory
        if inbox {
            configuration.inbox.recipients = [identity.recipient]
            configuration.inbox.listen = .tcp(host: "127.0.0.1", port: 8081)
            configuration.inbox.access = [try XCTUnwrap(InboxAccess.Verifier(InboxAccess.generate().verifier))]
        }
        adjust(&configuration)
        configuration = try configuration.validated()
        let vault = try Vault(configuration: configuration.vault)
        let application = ApplianceServer.application(
            configuration: configuration, vault: vault, logger: Logger(label: "test"), onServerRunning: { _ in })
        try await application.test(.router) { client in try await body(client, vault) }
    }

    private static func assertPageHeaders(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8", file: file, line: line)
        XCTAssertEqual(
            response.headers[.contentSecurityPolicy],
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", file: file, line: line)
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
                XCTAssertTrue(page.contains(#"name="file" type="file" multiple"#), page)
                XCTAssertTrue(page.contains(#"<button type="submit">"#), page)
                XCTAssertTrue(page.contains("encrypted"), page)
                XCTAssertTrue(page.contains("Tor Browser"), page)
            }
        }
    }

    func testTheStartPageLinksTheTipFormOnlyWhenTheInboxIsOn() async throws {
        try await withApplication { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertTrue(String(buffer: response.body).contains(#"<a href="/tip">"#))
            }
        }
        try await withApplication(inbox: false) { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertFalse(String(buffer: response.body).contains("/tip"))
            }
        }
    }

    func testWithoutRecipientsTheTipPageSaysTheInboxIsNotSetUp() async throws {
        try await withApplication(inbox: false) { client, _ in
            try await client.execute(uri: "/tip", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                Self.assertPageHeaders(response)
                XCTAssertTrue(String(buffer: response.body).contains("tip inbox is not set up"))
            }
        }
    }
}
