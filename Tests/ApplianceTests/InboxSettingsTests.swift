import Age
import Vault
import XCTest

@testable import Appliance

final class InboxSettingsTests: XCTestCase {
    private let recipient = AgeIdentity.generate().recipient.description
    private let verifier = InboxAccess.generate().verifier

    private func parse(_ lines: String) throws -> ApplianceConfiguration {
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse(lines, file: "test.conf", into: &configuration)
        return try configuration.validated()
    }

    func testTheInboxIsOffWithoutRecipients() throws {
        XCTAssertFalse(try parse("").inbox.isEnabled)
    }

    func testAConfiguredInbox() throws {
        let other = AgeIdentity.generate().recipient.description
        let configuration = try parse("""
            listen = unix:/run/ashlink/http.sock
            inbox_recipients = \(recipient) , \(other)
            inbox_listen = unix:/run/ashlink/inbox.sock
            inbox_access = \(verifier)
            inbox_max_tips = 5
            inbox_max_files = 7
            inbox_max_tip_bytes = 2147483648
            inbox_upload_timeout_seconds = 600
            inbox_min_upload_bytes_per_second = 100
            """)
        XCTAssertEqual(configuration.inbox.recipients.map(\.description), [recipient, other])
        XCTAssertEqual(configuration.inbox.listen, .unix(path: "/run/ashlink/inbox.sock"))
        XCTAssertEqual(configuration.inbox.access.count, 1)
        XCTAssertEqual(configuration.inbox.maxTips, 5)
        XCTAssertEqual(configuration.inbox.maxFiles, 7)
        XCTAssertEqual(configuration.inbox.maxTipBytes, 2 << 30, "2 GiB tips can be allowed")
        XCTAssertEqual(configuration.inbox.uploadPace, UploadPace(timeoutSeconds: 600, minBytesPerSecond: 100))
        XCTAssertThrowsError(try parse("inbox_max_files = 0"))
        XCTAssertThrowsError(try parse("inbox_upload_timeout_seconds = 5"))
        XCTAssertEqual(configuration.writablePaths, ["./var", "/run/ashlink"], "one socket folder, listed once")
    }

    func testARecipientThatIsNotOneIsRefusedWithItsReason() {
        XCTAssertThrowsError(try parse("inbox_recipients = age1notarecipient")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("inbox_recipients"), text)
            XCTAssertTrue(text.contains("not an age X25519 recipient"), text)
            XCTAssertFalse(text.contains("\n"), "one line")
        }
        XCTAssertThrowsError(try parse("inbox_recipients = AGE-SECRET-KEY-1QQQ"), "a secret key is not a recipient")
    }

    func testATokenIsNotAVerifier() {
        let token = InboxAccess.generate().token
        XCTAssertThrowsError(try parse("inbox_access = \(token)")) { error in
            XCTAssertTrue("\(error)".contains("never put the token itself here"), "\(error)")
        }
    }

    func testAnInboxNobodyCouldFetchFromIsRefused() {
        XCTAssertThrowsError(try parse("inbox_recipients = \(recipient)\ninbox_access = \(verifier)")) { error in
            XCTAssertTrue("\(error)".contains("inbox_listen"), "\(error)")
        }
        XCTAssertThrowsError(try parse("inbox_recipients = \(recipient)\ninbox_listen = 127.0.0.1:8081")) { error in
            XCTAssertTrue("\(error)".contains("inbox_access"), "\(error)")
        }
        XCTAssertThrowsError(try parse("inbox_listen = 127.0.0.1:8081"), "a listener without recipients")
    }

    func testTheInboxListenerIsNeverThePublicOne() {
        XCTAssertThrowsError(try parse("""
            inbox_recipients = \(recipient)
            inbox_listen = 127.0.0.1:8080
            inbox_access = \(verifier)
            """)) { error in
            XCTAssertTrue("\(error)".contains("must differ from listen"), "\(error)")
        }
    }

    func testTheInboxListenerIsLoopbackOnly() {
        XCTAssertThrowsError(try parse("inbox_listen = 0.0.0.0:8081")) { error in
            XCTAssertTrue("\(error)".hasPrefix("test.conf:1: inbox_listen = 0.0.0.0:8081"), "\(error)")
        }
    }

    func testReplyTTLIsHowLongTheVaultKeepsAnUnreadReply() throws {
        XCTAssertEqual(try parse("").vault.replyTTL, 30 * 86400)
        XCTAssertEqual(try parse("reply_ttl = 86400").vault.replyTTL, 86400)
        XCTAssertThrowsError(try parse("reply_ttl = 60"), "shorter than an hour")
    }
}
