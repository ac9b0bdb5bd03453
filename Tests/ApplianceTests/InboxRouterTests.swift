import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Vault
import XCTest
@testable import Appliance

/// The journalists' router's access check through Hummingbird's test client; the end-to-end
/// suite proves the same over real sockets.
final class InboxRouterTests: XCTestCase {
    private let access = InboxAccess.generate()
    private let otherAccess = InboxAccess.generate()

    private func withInbox(_ body: @escaping @Sendable (any TestClientProtocol, Vault) async throws -> Void) async throws {
        try await InboxTestSetup.withInbox(access: [otherAccess, access], body)
    }

    private static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }

    private static func assertRefused(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, .unauthorized, file: file, line: line)
        XCTAssertEqual(response.headers[.wwwAuthenticate], "Bearer", file: file, line: line)
        XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8", file: file, line: line)
        XCTAssertEqual(response.headers[.cacheControl], "no-store", file: file, line: line)
        XCTAssertEqual(
            String(buffer: response.body), #"{"error":"A valid access token is needed: Authorization: Bearer <token>."}"#,
            file: file, line: line)
    }

    func testEveryRequestWithoutAValidTokenGetsTheSame401() async throws {
        let access = access
        try await withInbox { client, _ in
            let refused: [HTTPFields] = [
                [:],
                [.authorization: "Bearer"],
                [.authorization: "Bearer "],
                [.authorization: "Basic \(access.token)"],
                [.authorization: "Bearer \(InboxAccess.generate().token)"],
                [.authorization: "Bearer \(access.verifier)"],
                [.authorization: "Bearer \(access.token.dropLast())"],
                [.authorization: "Bearer \(access.token)x"],
            ]
            for headers in refused {
                try await client.execute(uri: "/inbox/v1/tips", method: .get, headers: headers) { Self.assertRefused($0) }
            }
            try await client.execute(uri: "/inbox/v1/tips", method: .get, headers: Self.bearer(access.token)) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), #"{"tips":[]}"#)
            }
            // Unknown paths too: without a token the listener says nothing about what exists.
            try await client.execute(uri: "/elsewhere", method: .get) { Self.assertRefused($0) }
            try await client.execute(uri: "/inbox/v1/tips/\(String(repeating: "a", count: 26))", method: .delete) {
                Self.assertRefused($0)
            }
        }
    }

    func testAnyConfiguredTokenIsAdmittedWhateverTheSchemesCase() {
        let middleware = InboxAccessMiddleware(verifiers: [otherAccess.verifier, access.verifier].map { InboxAccess.Verifier($0)! })
        XCTAssertTrue(middleware.admits("Bearer \(access.token)"))
        XCTAssertTrue(middleware.admits("bearer \(otherAccess.token)"))
        XCTAssertTrue(middleware.admits("BEARER  \(access.token) "))
        XCTAssertFalse(middleware.admits(nil))
        XCTAssertFalse(middleware.admits(access.token), "no scheme")
        XCTAssertFalse(middleware.admits("Bearer \(access.token) \(access.token)"))
        XCTAssertFalse(InboxAccessMiddleware(verifiers: []).admits("Bearer \(access.token)"))
    }

    func testWithAValidTokenAnUnknownPathIsAJSON404() async throws {
        let token = access.token
        try await withInbox { client, _ in
            for path in ["/", "/api/v1/status", "/inbox/v1/nothing"] {
                try await client.execute(uri: path, method: .get, headers: Self.bearer(token)) { response in
                    XCTAssertEqual(response.status, .notFound, path)
                    XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
                    XCTAssertEqual(String(buffer: response.body), #"{"error":"There is nothing at this address."}"#)
                    XCTAssertNil(response.headers[.wwwAuthenticate])
                }
            }
        }
    }

    func testThePublicRouterHasNoInboxPaths() async throws {
        let token = access.token
        try await InboxTestSetup.withVault(access: [access]) { setup in
            let application = ApplianceServer.application(
                configuration: setup.configuration, vault: setup.vault, logger: Logger(label: "test"), onServerRunning: { _ in })
            try await application.test(.router) { client in
                for (method, path) in [(HTTPRequest.Method.get, "/inbox/v1/tips"), (.get, "/inbox/v1/tips/\(String(repeating: "a", count: 26))"),
                                       (.delete, "/inbox/v1/tips/\(String(repeating: "a", count: 26))")] {
                    try await client.execute(uri: path, method: method, headers: Self.bearer(token)) { response in
                        XCTAssertEqual(response.status, .notFound, path)
                        XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8", "the site's own page")
                    }
                }
            }
        }
    }
}
