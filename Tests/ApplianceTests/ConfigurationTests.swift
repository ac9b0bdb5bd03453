import Translation
import XCTest
@testable import Appliance

final class ConfigurationTests: XCTestCase {
    func testLoopbackAddressesAreAccepted() throws {
        XCTAssertEqual(try ListenAddress(parsing: "127.0.0.1:8080"), .tcp(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(try ListenAddress(parsing: "127.10.20.30:1"), .tcp(host: "127.10.20.30", port: 1))
        XCTAssertEqual(try ListenAddress(parsing: "[::1]:65535"), .tcp(host: "::1", port: 65535))
        XCTAssertEqual(try ListenAddress(parsing: "unix:/run/ashlink/http.sock"), .unix(path: "/run/ashlink/http.sock"))
        XCTAssertEqual(try ListenAddress(parsing: "[::1]:80").description, "[::1]:80")
    }

    func testTheConfinedServerMayWriteTheVaultAndTheSocketFolderOnly() throws {
        var configuration = ApplianceConfiguration()
        configuration.dataDirectory = "/var/lib/ashlink"
        XCTAssertEqual(configuration.writablePaths, ["/var/lib/ashlink"])
        configuration.listen = try ListenAddress(parsing: "unix:/run/ashlink/http.sock")
        XCTAssertEqual(configuration.writablePaths, ["/var/lib/ashlink", "/run/ashlink"])
        configuration.listen = try ListenAddress(parsing: "unix:/http.sock")
        XCTAssertEqual(configuration.writablePaths, ["/var/lib/ashlink"], "never the root folder")
    }

    func testEverythingElseIsRefused() {
        let refused = [
            "0.0.0.0:80", "10.1.2.3:80", "128.0.0.1:80", "127.0.0.256:80", "127.0.0:80", "127.0.0.1.5:80",
            "127.0.0.01a:80", "[::]:80", "[::ffff:127.0.0.1]:80", "[fe80::1]:80", "localhost:80", "::1:80",
            "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:-1", "[::1]80",
            "unix:", "unix:relative", "unix:/" + String(repeating: "a", count: 120), "",
        ]
        for address in refused {
            XCTAssertThrowsError(try ListenAddress(parsing: address), address)
        }
        XCTAssertThrowsError(try ListenAddress(parsing: "192.168.0.1:80")) { error in
            XCTAssertTrue("\(error)".contains("non-loopback"))
        }
    }

    func testFileOverridesDefaultsAndOptionsOverrideTheFile() throws {
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse(
            """
            # comment
            listen = unix:/run/ashlink/http.sock

            storage = ephemeral
            public_url = http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/
            max_passphrase_attempts = 3
            user = ashlink
            socket_mode = 0660
            """, file: "test.conf", into: &configuration)
        XCTAssertEqual(configuration.listen, .unix(path: "/run/ashlink/http.sock"))
        XCTAssertEqual(configuration.vault.durability, .ephemeral)
        XCTAssertEqual(configuration.publicURL, "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion")
        XCTAssertEqual(configuration.vault.maxPassphraseAttempts, 3)
        XCTAssertEqual(configuration.user, "ashlink")
        XCTAssertEqual(configuration.socketMode, 0o660)

        let defaults = try ConfigurationLoader.load(file: nil, listen: nil, dataDirectory: nil)
        XCTAssertEqual(defaults.listen, .tcp(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(defaults.dataDirectory, "./var")
        XCTAssertEqual(defaults.vault.directory, "./var")
        XCTAssertFalse(defaults.allowUnlockedMemory)

        let overridden = try ConfigurationLoader.load(file: nil, listen: try ListenAddress(parsing: "[::1]:9000"), dataDirectory: "/tmp/x")
        XCTAssertEqual(overridden.listen, .tcp(host: "::1", port: 9000))
        XCTAssertEqual(overridden.vault.directory, "/tmp/x")
    }

    func testAFileSavedWithCRLFLineEndsReadsLikeAnyOther() throws {
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse("# comment\r\nlisten = 127.0.0.1:8099\r\n\r\nmax_secrets = 5\r\n", file: "test.conf", into: &configuration)
        XCTAssertEqual(configuration.listen, .tcp(host: "127.0.0.1", port: 8099))
        XCTAssertEqual(configuration.vault.maxSecrets, 5)
        XCTAssertThrowsError(try ConfigFile.parse("max_ttl = 600\r\nmax_ttl = 700\r\n", file: "test.conf", into: &configuration)) { error in
            XCTAssertEqual("\(error)", "test.conf:2: 'max_ttl' is set twice", "line numbers count CRLF as one line end")
        }
    }

    func testMistakesAreErrorsWithTheLine() {
        let cases: [(String, String)] = [
            ("listen = 127.0.0.1:80\nlisten_address = x", "test.conf:2: unknown key 'listen_address'"),
            ("max_ttl = 600\nmax_ttl = 700", "test.conf:2: 'max_ttl' is set twice"),
            ("just words", "test.conf:1: expected 'key = value'"),
            ("argon2_concurrency = 0", "argon2_concurrency"),
            ("argon2_concurrency = two", "argon2_concurrency"),
            ("argon2_max_waiting = -1", "argon2_max_waiting"),
            ("allow_unlocked_memory = maybe", "allow_unlocked_memory"),
            ("socket_mode = 0666", "socket_mode"),
            ("socket_mode = 0400", "socket_mode"),
            ("socket_mode = 4660", "socket_mode"),
            ("public_url = http://host/path", "public_url"),
            ("public_url = ftp://host", "public_url"),
            ("user = ", "user"),
            ("group = a b", "group"),
        ]
        for (text, expected) in cases {
            var configuration = ApplianceConfiguration()
            XCTAssertThrowsError(try ConfigFile.parse(text, file: "test.conf", into: &configuration), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }

    func testCrossFieldChecks() {
        var configuration = ApplianceConfiguration()
        configuration.vault.minimumTTL = 600
        configuration.vault.defaultTTL = 300
        XCTAssertThrowsError(try configuration.validated())
        configuration = ApplianceConfiguration()
        configuration.http.maxBodyBytes = 1024
        XCTAssertThrowsError(try configuration.validated())
    }

    func testTheExampleFileIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../ashlink.conf.example").path
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse(try ConfigurationLoader.readTextFile(example), file: example, into: &configuration)
        XCTAssertNoThrow(try configuration.validated())
        // Every key the parser knows is documented in the example.
        let text = try ConfigurationLoader.readTextFile(example)
        for key in ConfigFile.allSettings.keys {
            XCTAssertTrue(text.contains("\(key) ="), "\(key) is missing from ashlink.conf.example")
        }
    }

    func testCoarseTimeWording() {
        XCTAssertEqual(CoarseTime.utc(minute: 0), "1970-01-01 00:00 UTC")
        XCTAssertEqual(CoarseTime.utc(minute: 1_795_624_380 / 60), "2026-11-25 16:33 UTC")
        XCTAssertEqual(CoarseTime.utc(minute: 951_782_400 / 60), "2000-02-29 00:00 UTC")
        XCTAssertEqual(CoarseTime.relative(fromMinute: 100, toMinute: 100).englishText, "in less than a minute")
        XCTAssertEqual(CoarseTime.relative(fromMinute: 0, toMinute: 45).englishText, "in about 45 minutes")
        XCTAssertEqual(CoarseTime.relative(fromMinute: 0, toMinute: 181).englishText, "in about 3 hours")
        XCTAssertEqual(CoarseTime.relative(fromMinute: 0, toMinute: 7 * 1440 + 1).englishText, "in about 7 days")
    }
}
