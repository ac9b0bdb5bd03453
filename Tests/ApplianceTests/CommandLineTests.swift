import ArgumentParser
import XCTest
@testable import Appliance

/// Refusals of the command line come from argument-parser's own parsing and validation, and
/// reach the operator as one line.
final class CommandLineTests: XCTestCase {
    func testANonLoopbackListenAddressIsRefusedWithItsReason() throws {
        let reason = try XCTUnwrap(commandLineRefusal(["serve", "--listen", "0.0.0.0:8080"]))
        XCTAssertTrue(reason.hasPrefix("configuration: "), reason)
        XCTAssertTrue(reason.contains("non-loopback"), reason)
        XCTAssertFalse(reason.contains("\n"), reason)
    }

    func testAnEmptyDataDirectoryAndABadAccountAreRefused() throws {
        let empty = try XCTUnwrap(commandLineRefusal(["check-config", "--data-dir", ""]))
        XCTAssertTrue(empty.hasPrefix("configuration: ") && empty.contains("--data-dir"), empty)
        let account = try XCTUnwrap(commandLineRefusal(["serve", "--user", "root;rm"]))
        XCTAssertTrue(account.hasPrefix("configuration: ") && account.contains("system account name"), account)
    }

    func testHelpAndVersionAreNotRefusals() {
        XCTAssertNil(commandLineRefusal(["--version"]))
        XCTAssertNil(commandLineRefusal(["serve", "--help"]))
        XCTAssertNil(commandLineRefusal(["serve", "--listen", "unix:/run/ashlink/http.sock"]))
    }

    func testConfigurationErrorsAreLabelled() {
        let error = ConfigurationError.inconsistent("ttl: need min_ttl <= default_ttl <= max_ttl")
        XCTAssertEqual(Refusal.reason(for: error, command: Ashlink.self), "configuration: ttl: need min_ttl <= default_ttl <= max_ttl")
        XCTAssertEqual(Refusal.reason(for: Refusal("cannot open the vault"), command: Ashlink.self), "cannot open the vault")
        XCTAssertNil(Refusal.reason(for: ExitCode.failure, command: Ashlink.self))
    }

    func testTheDataDirectoryMustBeTheServiceAccountsAlone() {
        XCTAssertTrue(DataDirectory.isPrivate(mode: 0o40700))
        XCTAssertFalse(DataDirectory.isPrivate(mode: 0o40750), "group may not read the vault")
        XCTAssertFalse(DataDirectory.isPrivate(mode: 0o40705), "others may not read the vault")
    }
}
