import NIOCore
import NIOSOCKS
import XCTest
@testable import Appliance

/// `inbox fetch`'s command line: where the inbox is and how it is reached are settled before
/// anything is read or sent, and nothing on the way asks a resolver.
final class InboxFetchArgumentTests: XCTestCase {
    private let onion = "http://" + String(repeating: "a", count: 55) + "d.onion"

    private func refusal(_ arguments: [String]) -> String? {
        commandLineRefusal(["inbox", "fetch", "--token-file", "t", "--output", "d"] + arguments)
    }

    private func route(_ server: String, socks: String? = nil) throws -> InboxRoute {
        try InboxRoute(server: InboxServerAddress(parsing: server), socks: socks.map { try SOCKSProxyAddress(parsing: $0) })
    }

    private func refusedRoute(_ server: String, socks: String? = nil) -> String? {
        do {
            _ = try route(server, socks: socks)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testTheThreeFormsOfServerParse() throws {
        XCTAssertEqual(try InboxServerAddress(parsing: "http://127.0.0.1:8081"), .http(host: "127.0.0.1", port: 8081))
        XCTAssertEqual(try InboxServerAddress(parsing: "http://[::1]:8081/"), .http(host: "::1", port: 8081))
        XCTAssertEqual(try InboxServerAddress(parsing: "http://" + onion.dropFirst(7).uppercased()),
                       .http(host: String(onion.dropFirst(7)), port: 80), "onion names are case-insensitive; tor is given them in lowercase")
        XCTAssertEqual(try InboxServerAddress(parsing: "unix:/run/ashlink/inbox.sock"), .unix(path: "/run/ashlink/inbox.sock"))
        XCTAssertEqual(try InboxServerAddress(parsing: "http://[::1]:8081").description, "http://[::1]:8081")
        XCTAssertEqual(try InboxServerAddress(parsing: onion + "/").description, onion)
    }

    func testMalformedServersAreRefusedWithTheirReason() {
        for (text, reason) in [
            ("https://127.0.0.1:8081", "expected http://"),
            ("127.0.0.1:8081", "expected http://"),
            ("http://127.0.0.1:8081/inbox", "no path"),
            ("http://127.0.0.1:8081?x=1", "no path, query"),
            ("http://user@127.0.0.1", "user name"),
            ("http://127.0.0.1:0", "from 1 to 65535"),
            ("http://127.0.0.1:99999", "from 1 to 65535"),
            ("http://127.0.0.1:", "from 1 to 65535"),
            ("http://::1:8081", "in brackets"),
            ("http://[::1:8081", "closing ]"),
            ("http://", "host is missing"),
            ("http://bad_name.onion", "neither an IP address nor a host name"),
            ("http://1.2.3", "neither an IP address nor a host name"),
            ("unix:relative.sock", "absolute path"),
        ] {
            XCTAssertThrowsError(try InboxServerAddress(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    func testAnOnionGoesToTheProxyAsANameNeverAsAnAddress() throws {
        let host = String(onion.dropFirst(7))
        XCTAssertEqual(
            try route(onion, socks: "127.0.0.1:9050"),
            .proxied(proxy: try SocketAddress(ipAddress: "127.0.0.1", port: 9050), target: .domain(host, port: 80)))
        XCTAssertEqual(
            try route("http://inbox.example:8080", socks: "[::1]:9150"),
            .proxied(proxy: try SocketAddress(ipAddress: "::1", port: 9150), target: .domain("inbox.example", port: 8080)))
        XCTAssertEqual(
            try route("http://10.0.0.7:80", socks: "localhost:9050"),
            .proxied(proxy: try SocketAddress(ipAddress: "127.0.0.1", port: 9050), target: .address(try SocketAddress(ipAddress: "10.0.0.7", port: 80))))
    }

    func testWithoutAProxyOnlyLoopbackLiteralsAndUnixSocketsAreReached() throws {
        XCTAssertEqual(try route("http://127.0.0.1:8081"), .direct(try SocketAddress(ipAddress: "127.0.0.1", port: 8081)))
        XCTAssertEqual(try route("http://localhost:8081"), .direct(try SocketAddress(ipAddress: "127.0.0.1", port: 8081)))
        XCTAssertEqual(try route("http://[::1]:8081"), .direct(try SocketAddress(ipAddress: "::1", port: 8081)))
        XCTAssertEqual(try route("unix:/run/ashlink/inbox.sock"), .unix(path: "/run/ashlink/inbox.sock"))

        XCTAssertTrue(refusedRoute(onion)?.contains("is an onion address: give tor's SOCKS port with --socks") == true)
        XCTAssertTrue(refusedRoute("http://inbox.example:8080")?.contains("never resolves names") == true)
        XCTAssertTrue(refusedRoute("http://192.168.1.20:8080")?.contains("not a loopback address") == true)
        XCTAssertTrue(refusedRoute("unix:/run/ashlink/inbox.sock", socks: "127.0.0.1:9050")?.contains("needs none") == true)
    }

    func testTheSocksPortMustBeAnAddressAndAPort() {
        for text in ["127.0.0.1", "tor.internal:9050", "127.0.0.1:port", "[::1]9050", ":9050"] {
            XCTAssertThrowsError(try SOCKSProxyAddress(parsing: text), text)
        }
    }

    func testTheCommandLineRefusesBeforeAnythingIsRead() throws {
        let noSocks = try XCTUnwrap(refusal(["--server", onion]))
        XCTAssertTrue(noSocks.hasPrefix("configuration: ") && noSocks.contains("--socks 127.0.0.1:9050"), noSocks)
        let badServer = try XCTUnwrap(refusal(["--server", "ftp://127.0.0.1"]))
        XCTAssertTrue(badServer.contains("--server") && badServer.contains("expected http://"), badServer)
        let badSocks = try XCTUnwrap(refusal(["--server", onion, "--socks", "tor:9050"]))
        XCTAssertTrue(badSocks.contains("--socks") && badSocks.contains("IP:PORT"), badSocks)
        let missing = try XCTUnwrap(refusal([]))
        XCTAssertTrue(missing.contains("--server"), missing)
        XCTAssertFalse(missing.contains("\n"), missing)
        XCTAssertNil(refusal(["--server", onion, "--socks", "127.0.0.1:9050"]))
        XCTAssertNil(refusal(["--server", "http://127.0.0.1:8081", "--identity", "k"]))
    }
}
