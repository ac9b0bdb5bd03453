import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Vault
import XCTest
@testable import Appliance

/// List, fetch and acknowledge against a real vault, with real age files stored the way the
/// intake stores them; the end-to-end suite proves the same over real sockets.
final class TipRoutesTests: XCTestCase {
    private let access = InboxAccess.generate()

    private var headers: HTTPFields { [.authorization: "Bearer \(access.token)"] }

    /// An age file of `plaintextBytes` bytes to `recipient`, stored as one tip.
    private static func storeAgeFile(plaintextBytes: Int, to recipient: AgeRecipient, in vault: Vault) async throws -> (StoredTip, [UInt8]) {
        var encryptor = try AgeEncryptor(recipients: [recipient])
        let plaintext = [UInt8](repeating: 0x74, count: plaintextBytes)
        let file = encryptor.header + encryptor.consume(plaintext) + encryptor.finish()
        let upload = try await vault.beginTip()
        var start = 0
        while start < file.count {
            let end = min(start + 300_000, file.count)
            try await upload.append(Array(file[start..<end]))
            start = end
        }
        return (try await upload.finish(), file)
    }

    /// The UTC day, as the vault spells `received`.
    private static var today: String {
        Date.now.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    func testListFetchAndAcknowledge() async throws {
        let headers = headers
        try await InboxTestSetup.withVault(access: [access]) { setup in
            let (small, smallFile) = try await Self.storeAgeFile(plaintextBytes: 100, to: setup.identity.recipient, in: setup.vault)
            // Larger than one stored chunk (1 MiB), so the fetch streams several.
            let (large, largeFile) = try await Self.storeAgeFile(plaintextBytes: 2_600_000, to: setup.identity.recipient, in: setup.vault)
            let application = InboxServer.application(
                listen: .tcp(host: "127.0.0.1", port: 8081), configuration: setup.configuration, vault: setup.vault,
                logger: .init(label: "test"), onServerRunning: { _ in })
            try await application.test(.router) { client in
                let listed = try await client.execute(uri: "/inbox/v1/tips", method: .get, headers: headers) { response in
                    XCTAssertEqual(response.status, .ok)
                    XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
                    XCTAssertEqual(response.headers[.cacheControl], "no-store")
                    return try JSONDecoder().decode(Listing.self, from: Data(buffer: response.body))
                }
                XCTAssertEqual(
                    Set(listed.tips), [Listing.Tip(id: small.id.text, bytes: smallFile.count, received: Self.today),
                                       Listing.Tip(id: large.id.text, bytes: largeFile.count, received: Self.today)])

                for (tip, file) in [(small, smallFile), (large, largeFile)] {
                    try await client.execute(uri: "/inbox/v1/tips/\(tip.id)", method: .get, headers: headers) { response in
                        XCTAssertEqual(response.status, .ok)
                        XCTAssertEqual(response.headers[.contentType], "application/octet-stream")
                        XCTAssertEqual(response.headers[.contentLength], "\(file.count)")
                        XCTAssertEqual(response.headers[.cacheControl], "no-store")
                        XCTAssertEqual(Array(buffer: response.body), file)
                    }
                }
                var decryptor = AgeDecryptor(identities: [setup.identity])
                XCTAssertEqual(try decryptor.consume(largeFile).count + decryptor.finish().count, 2_600_000, "a real age file")

                try await client.execute(uri: "/inbox/v1/tips/\(small.id)", method: .delete, headers: headers) { response in
                    XCTAssertEqual(response.status, .noContent)
                    XCTAssertEqual(response.body.readableBytes, 0)
                }
                for method in [HTTPRequest.Method.delete, .get] {
                    try await client.execute(uri: "/inbox/v1/tips/\(small.id)", method: method, headers: headers) { response in
                        XCTAssertEqual(response.status, .notFound, "\(method) after the acknowledgement")
                        XCTAssertEqual(String(buffer: response.body), #"{"error":"No such tip: unknown, or already acknowledged."}"#)
                    }
                }
                try await client.execute(uri: "/inbox/v1/tips", method: .get, headers: headers) { response in
                    let left = try JSONDecoder().decode(Listing.self, from: Data(buffer: response.body))
                    XCTAssertEqual(left.tips.map(\.id), [large.id.text])
                }
            }
        }
    }

    func testMalformedAndUnknownIdsGetTheSame404() async throws {
        let headers = headers
        try await InboxTestSetup.withInbox(access: [access]) { client, vault in
            let stored = try await Self.storeAgeFile(plaintextBytes: 10, to: AgeIdentity.generate().recipient, in: vault).0
            let ids = [String(repeating: "a", count: 26), "x", stored.id.text.uppercased(), String(stored.id.text.dropLast()),
                       stored.id.text + "a", "..%2F..%2Fvault.sqlite3"]
            for id in ids {
                for method in [HTTPRequest.Method.get, .delete] {
                    try await client.execute(uri: "/inbox/v1/tips/\(id)", method: method, headers: headers) { response in
                        XCTAssertEqual(response.status, .notFound, "\(method) \(id)")
                        XCTAssertEqual(String(buffer: response.body), #"{"error":"No such tip: unknown, or already acknowledged."}"#)
                    }
                }
            }
            let stillThere = try await vault.tips().map(\.id)
            XCTAssertEqual(stillThere, [stored.id])
        }
    }

    /// A tip acknowledged while it streams ends the body with an error, never with `finish`: the
    /// server then closes the connection instead of leaving the announced length unfilled.
    func testATipDeletedWhileItStreamsEndsTheBodyWithAnError() async throws {
        try await InboxTestSetup.withVault(access: [access]) { setup in
            let (tip, _) = try await Self.storeAgeFile(plaintextBytes: 2_600_000, to: setup.identity.recipient, in: setup.vault)
            let opened = try await setup.vault.openTip(tip.id)
            let reader = try XCTUnwrap(opened)
            let body = TipStream.body(reader)
            XCTAssertEqual(body.contentLength, tip.bytes)
            let sink = CollectedBody(deleteAfterFirstWrite: (setup.vault, tip.id))
            do {
                try await body.write(sink)
                XCTFail("the body finished although the tip was deleted under it")
            } catch is TipStream.Cut {}
            XCTAssertEqual(sink.writes, 1, "the chunk read before the delete, then nothing")
            XCTAssertFalse(sink.finished)
        }
    }

    /// Over a real connection: the server closes it after what it had sent, fewer bytes than
    /// its Content-Length, all of them the tip's own; nothing pads the rest.
    func testATipAcknowledgedWhileItStreamsClosesTheConnectionShort() async throws {
        let token = access.token
        try await InboxTestSetup.withVault(access: [access]) { setup in
            // Twelve stored chunks: more than the socket buffers on the way can hold.
            let (tip, file) = try await Self.storeAgeFile(plaintextBytes: 12 << 20, to: setup.identity.recipient, in: setup.vault)
            // The connection must close because the stream was cut, well before the request-head
            // timeout would close an idle one.
            var configuration = setup.configuration
            configuration.http.headerTimeoutSeconds = 60
            let application = InboxServer.application(
                listen: .tcp(host: "127.0.0.1", port: 8081), configuration: configuration, vault: setup.vault,
                logger: .init(label: "test"), onServerRunning: { _ in })
            try await application.test(.live) { client in
                let connection = try BlockingConnection(port: try XCTUnwrap(client.port), timeoutSeconds: 5)
                try await connection.send("GET /inbox/v1/tips/\(tip.id) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n\r\n")
                var received = try await connection.receive(atLeast: 64 * 1024)
                let deleted = try await setup.vault.deleteTip(tip.id)
                XCTAssertTrue(deleted)
                received += try await connection.receiveUntilClosed()

                let end = try XCTUnwrap(received.firstRange(of: Array("\r\n\r\n".utf8)))
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                XCTAssertTrue(head.hasPrefix("http/1.1 200 ok"), head)
                XCTAssertTrue(head.contains("content-length: \(file.count)"), head)
                let body = Array(received[end.upperBound...])
                XCTAssertLessThan(body.count, file.count, "cut short")
                XCTAssertEqual(body, Array(file.prefix(body.count)), "only the tip's own bytes")
            }
        }
    }

    func testAWholeTipFinishesTheBody() async throws {
        try await InboxTestSetup.withVault(access: [access]) { setup in
            let (tip, file) = try await Self.storeAgeFile(plaintextBytes: 2_600_000, to: setup.identity.recipient, in: setup.vault)
            let sink = CollectedBody(deleteAfterFirstWrite: nil)
            let opened = try await setup.vault.openTip(tip.id)
            try await TipStream.body(try XCTUnwrap(opened)).write(sink)
            XCTAssertTrue(sink.finished)
            XCTAssertEqual(sink.bytes, file)
        }
    }
}

/// The JSON of `GET /inbox/v1/tips`, read back as a client reads it.
private struct Listing: Decodable {
    struct Tip: Decodable, Hashable {
        let id: String
        let bytes: Int
        let received: String
    }

    let tips: [Tip]
}

/// Where a response body is written in a test: it keeps what arrives, and can acknowledge the
/// tip after the first piece, as a second journalist would while the first one is fetching.
private final class CollectedBody: ResponseBodyWriter {
    private let deleteAfterFirstWrite: (Vault, TipID)?
    private(set) var bytes: [UInt8] = []
    private(set) var writes = 0
    private(set) var finished = false

    init(deleteAfterFirstWrite: (Vault, TipID)?) {
        self.deleteAfterFirstWrite = deleteAfterFirstWrite
    }

    func write(_ buffer: ByteBuffer) async throws {
        bytes += Array(buffer: buffer)
        writes += 1
        if writes == 1, let (vault, id) = deleteAfterFirstWrite {
            let deleted = try await vault.deleteTip(id)
            XCTAssertTrue(deleted)
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {
        finished = true
    }
}
