import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest
@testable import Appliance

/// Every kind of page the web side shows, visited through the router under one language prefix
/// ("" for the plain addresses): the forms, the pages that answer them, and the refusals.
struct PageTour {
    struct Page {
        let name: String
        let status: HTTPResponse.Status
        let html: String
        let contentSecurityPolicy: String?

        init(name: String, _ response: TestResponse) {
            self.name = name
            status = response.status
            html = String(buffer: response.body)
            contentSecurityPolicy = response.headers[.contentSecurityPolicy]
        }
    }

    /// How many pages a whole tour visits: the tests that walk it check they got them all.
    static let pageCount = 17

    let prefix: String
    private let multipart = MultipartBody()
    private static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func visit(_ client: some TestClientProtocol) async throws -> [Page] {
        var pages: [Page] = []
        func get(_ name: String, _ path: String) async throws -> String {
            let page = try await client.execute(uri: path, method: .get) { response in
                Page(name: name, response)
            }
            pages.append(page)
            return page.html
        }
        func post(_ name: String, _ path: String, _ body: [UInt8], headers: HTTPFields = Self.form) async throws -> (Page, HTTPFields) {
            let (page, fields) = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                (Page(name: name, response), response.headers)
            }
            pages.append(page)
            return (page, fields)
        }
        func post(_ name: String, _ path: String, _ form: String) async throws -> (Page, HTTPFields) {
            try await post(name, path, Array(form.utf8))
        }
        _ = try await get("create", prefix + "/")
        let shared = try await post("share redirect", prefix + "/share", "secret=hello&passphrase=pw&ttl=3600").1
        let receiptPath = try XCTUnwrap(shared[.location])
        XCTAssertTrue(receiptPath.hasPrefix(prefix + "/private/"), "the redirect keeps the language: \(receiptPath)")
        let receipt = try await get("receipt, unread", receiptPath)
        let linkStart = try XCTUnwrap(receipt.range(of: #"id="share-link""#), receipt).upperBound
        let shareLink = String(receipt[linkStart...].drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        let secretPath = try XCTUnwrap(shareLink.range(of: #"/secret/[a-z2-7]{52}$"#, options: .regularExpression).map { String(shareLink[$0]) })
        XCTAssertFalse(!prefix.isEmpty && shareLink.contains(prefix + "/secret/"), "the share link has no language: \(shareLink)")
        _ = try await get("confirm", prefix + secretPath)
        _ = try await post("confirm, wrong passphrase", prefix + secretPath, "passphrase=wrong")
        _ = try await post("revealed", prefix + secretPath, "passphrase=pw")
        _ = try await get("not available", prefix + secretPath)
        _ = try await get("receipt, read", receiptPath)
        _ = try await get("receipt not found", prefix + "/private/" + String(repeating: "a", count: 52))
        _ = try await post("empty secret", prefix + "/share", "secret=&ttl=3600")
        let generated = try await post("generate redirect", prefix + "/generate", "ttl=3600").1
        _ = try await get("receipt, generated", try XCTUnwrap(generated[.location]))
        _ = try await get("tip form", prefix + "/tip")
        let tipHeaders: HTTPFields = [.contentType: multipart.contentType]
        let received = try await post("tip received", prefix + "/tip", multipart.tip("hello"), headers: tipHeaders).0.html
        let start = try XCTUnwrap(received.range(of: #"id="codename">"#), received).upperBound
        let codename = String(received[start...].prefix { $0 != "<" })
        _ = try await get("replies form", prefix + "/tip/replies")
        _ = try await post("replies", prefix + "/tip/replies", "codename=" + codename.replacingOccurrences(of: " ", with: "+"))
        _ = try await post("not a codename", prefix + "/tip/replies", "codename=one+two")
        let followUp = multipart.form(multipart.field("codename", codename), multipart.field("message", "more"), multipart.noFileChosen)
        _ = try await post("follow-up received", prefix + "/tip", followUp, headers: tipHeaders)
        _ = try await post("empty tip", prefix + "/tip", multipart.tip(""), headers: tipHeaders)
        return pages.filter { $0.status != .seeOther }
    }
}
