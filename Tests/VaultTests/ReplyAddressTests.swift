import XCTest
import Age
@testable import Vault

/// The reply address a tip carries: written by the server into the archive, read back by the
/// journalist's CLI from the decrypted folder, edited perhaps, never guessed at.
final class ReplyAddressTests: XCTestCase {
    private let address = ReplyAddress(
        recipient: AgeIdentity.generate().recipient, mailbox: MailboxID(bytes: Sodium.randomBytes(MailboxID.byteCount)))

    func testTheFileRoundTripsAlsoWithCRLFAndExtraComments() throws {
        let text = address.fileContents
        XCTAssertTrue(text.hasPrefix("ashlink-reply-address-v1\n# Reply with: ashlink inbox reply"))
        XCTAssertEqual(try ReplyAddress(parsing: text), address)
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try ReplyAddress(parsing: crlf), address)
        XCTAssertEqual(try ReplyAddress(parsing: text + "\n# the journalist's own note\n\n"), address)
    }

    func testAnythingElseIsRefusedWithTheLineItIsOn() {
        let lines = address.fileContents.split(separator: "\n").map(String.init)
        let cases: [(String, ReplyAddressError)] = [
            ("", .notAReplyAddress),
            (lines.dropFirst().joined(separator: "\n"), .notAReplyAddress),
            (([lines[0], "colour: blue"] + lines.dropFirst()).joined(separator: "\n"), .malformedLine(2)),
            ((lines + [lines[2]]).joined(separator: "\n"), .malformedLine(5)),
            ((lines.prefix(3)).joined(separator: "\n"), .incomplete),
            ([lines[0], "recipient: age1nope", lines[3]].joined(separator: "\n"), .malformedLine(2)),
            ([lines[0], lines[2], "mailbox: too-short"].joined(separator: "\n"), .malformedLine(3)),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ReplyAddress(parsing: text), text) { XCTAssertEqual($0 as? ReplyAddressError, expected, text) }
        }
    }
}
