import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Vault
import XCTest
@testable import Appliance

/// The routes through Hummingbird's test client: fast checks of what the end-to-end suite proves
/// again over a real socket.
final class RouterTests: XCTestCase {
    private func withApplication(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-router-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ApplianceConfiguration()
        configuration.dataDirectory = directory
        configuration = try configuration.validated()
        let vault = try Vault(configuration: configuration.vault)
        let application = ApplianceServer.application(
            configuration: configuration, vault: vault, logger: Logger(label: "test"), onServerRunning: { _ in })
        try await application.test(.router, body)
    }

    func testEveryResponseCarriesTheSecurityHeaders() async throws {
        try await withApplication { client in
            let answers = [(HTTPRequest.Method.get, "/", true), (.get, "/missing", true), (.post, "/api/v1/secret/x", false), (.get, "/api/v1/status", false)]
            for (method, path, isPage) in answers {
                try await client.execute(uri: path, method: method) { response in
                    if isPage {
                        InlineStyleTests.assertPagePolicy(response.headers[.contentSecurityPolicy], path)
                    } else {
                        XCTAssertEqual(
                            response.headers[.contentSecurityPolicy],
                            "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", "\(path): no style at all")
                    }
                    XCTAssertEqual(response.headers[.xContentTypeOptions], "nosniff")
                    XCTAssertEqual(response.headers[.cacheControl], "no-store")
                    XCTAssertEqual(response.headers[HTTPField.Name("X-Frame-Options")!], "DENY")
                    XCTAssertEqual(response.headers[HTTPField.Name("Referrer-Policy")!], "no-referrer")
                    XCTAssertNil(response.headers[.setCookie])
                    XCTAssertNil(response.headers[.server])
                }
            }
        }
    }

    func testShareRedirectsToTheReceiptAndTheSecretRevealsOnce() async throws {
        try await withApplication { client in
            let form = ByteBuffer(string: "secret=a+%3Csecret%3E&ttl=600")
            let location = try await client.execute(
                uri: "/share", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form
            ) { response in
                XCTAssertEqual(response.status, .seeOther)
                return try XCTUnwrap(response.headers[.location])
            }
            let secretPath = try await client.execute(uri: location, method: .get) { response in
                let page = String(buffer: response.body)
                XCTAssertTrue(page.contains("Not read yet"))
                let range = try XCTUnwrap(page.range(of: #"/secret/[a-z2-7]{52}"#, options: .regularExpression))
                return String(page[range])
            }
            try await client.execute(uri: secretPath, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
            }
            try await client.execute(uri: secretPath, method: .post) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).contains("a &lt;secret&gt;"))
            }
            try await client.execute(uri: secretPath, method: .post) { response in
                XCTAssertEqual(response.status, .notFound)
            }
        }
    }

    func testAPIErrorsAreJSON() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/api/v1/share?secret=", method: .post) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
            }
            try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertTrue(String(buffer: response.body).hasPrefix("{\"message\":"))
            }
        }
    }

    func testTheAPIAliasesAnswerAsTheirNamesakes() async throws {
        try await withApplication { client in
            let receiptKey = try await client.execute(uri: "/api/v1/create?secret=alias", method: .post) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
                let body = String(buffer: response.body)
                let range = try XCTUnwrap(body.range(of: #""metadata_key":"[a-z2-7]{52}""#, options: .regularExpression))
                return String(body[range].dropFirst(#""metadata_key":""#.count).dropLast())
            }
            for prefix in ["private", "receipt", "metadata"] {
                try await client.execute(uri: "/api/v1/\(prefix)/\(receiptKey)", method: .get) { response in
                    XCTAssertEqual(response.status, .ok, prefix)
                    XCTAssertTrue(String(buffer: response.body).contains(#""state":"new""#), prefix)
                }
            }
            try await client.execute(uri: "/api/v1/metadata/\(receiptKey)/burn", method: .post) { response in
                XCTAssertTrue(String(buffer: response.body).contains(#""state":"burned""#))
            }
            try await client.execute(uri: "/api/v1/receipt/\(String(repeating: "a", count: 52))/burn", method: .post) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertEqual(String(buffer: response.body), #"{"message":"Unknown secret"}"#)
            }
        }
    }

    func testThePassphraseFieldsTakeTheVaultsLimit() async throws {
        try await withApplication { client in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertTrue(String(buffer: response.body).contains(#"autocomplete="new-password" maxlength="1024""#))
            }
        }
    }

    func testEveryAnswerUnderTheAPIIsJSONAndEveryOtherIsAPage() async throws {
        try await withApplication { client in
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/share"), (.put, "/api/v1/private/x"), (.delete, "/api/v1/a/b/c")] {
                try await client.execute(uri: path, method: method) { response in
                    XCTAssertEqual(response.status, .notFound, path)
                    XCTAssertEqual(String(buffer: response.body), #"{"message":"There is nothing at this address."}"#, path)
                }
            }
            for (method, path) in [(HTTPRequest.Method.get, "/private/x"), (.put, "/share"), (.get, "/api")] {
                try await client.execute(uri: path, method: method) { response in
                    XCTAssertEqual(response.status, .notFound, path)
                    XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8", path)
                }
            }
        }
    }
}
