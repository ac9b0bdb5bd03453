import Age
import Foundation
import HummingbirdTesting
import Vault
import XCTest
@testable import Appliance

/// `ashlink inbox reply`: its command line, what it reads from the decrypted tip and the
/// journalist's message, and the whole round trip through a live journalists' listener to the
/// tipster's identity.
final class InboxReplyCommandTests: XCTestCase {
    private let access = InboxAccess.generate()

    private func refusal(_ arguments: [String]) -> String? {
        commandLineRefusal(["inbox", "reply"] + arguments)
    }

    private func reason(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-reply-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// `DIR/<id>/reply-address.txt` as `inbox fetch --identity` leaves it.
    private func decryptedTip(in folder: String, address: String) throws -> String {
        let tip = folder + "/mfrggzdfmztwq2lknnwg23tpoa"
        try FileManager.default.createDirectory(atPath: tip, withIntermediateDirectories: false)
        try address.write(toFile: tip + "/" + ReplyAddress.fileName, atomically: false, encoding: .utf8)
        return tip
    }

    private func tokenFile(_ path: String, _ token: String) throws -> String {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]))
        return path
    }

    func testTheCommandLineNeedsExactlyOneMessage() throws {
        let common = ["--server", "http://127.0.0.1:8081", "--token-file", "t", "--tip", "d/x"]
        for arguments in [common, common + ["--message", "a", "--message-file", "m"]] {
            let refused = try XCTUnwrap(refusal(arguments))
            XCTAssertEqual(refused, "configuration: give the reply with exactly one of --message TEXT and --message-file FILE")
        }
        XCTAssertNil(refusal(common + ["--message", "a"]))
        XCTAssertNil(refusal(common + ["--message-file", "m"]))
        let noTip = try XCTUnwrap(refusal(["--server", "http://127.0.0.1:8081", "--token-file", "t", "--message", "a"]))
        XCTAssertTrue(noTip.contains("--tip") && !noTip.contains("\n"), noTip)
        let onion = "http://" + String(repeating: "a", count: 55) + "d.onion"
        let noSocks = try XCTUnwrap(refusal(["--server", onion, "--token-file", "t", "--tip", "d/x", "--message", "a"]))
        XCTAssertTrue(noSocks.contains("--socks 127.0.0.1:9050"), "the same rules as inbox fetch: \(noSocks)")
    }

    func testTheReplyAddressComesFromADecryptedTip() throws {
        let folder = try temporaryFolder()
        let missing = reason { try TipReplyAddress(tip: folder + "/nothing") }
        XCTAssertTrue(missing.hasPrefix("\(folder)/nothing/reply-address.txt: No such file or directory: decrypt the tip first: "), missing)
        XCTAssertTrue(missing.contains("ashlink inbox fetch --identity") && missing.contains("ashlink inbox decrypt"), missing)
        XCTAssertEqual(reason { try TipReplyAddress(tip: folder + "/k7q2.age") }, "\(folder)/k7q2.age is an encrypted tip: \(TipReplyAddress.advice)")

        let malformed = try decryptedTip(in: folder, address: "ashlink-reply-address-v1\nrecipient: age1nothing\n")
        XCTAssertEqual(reason { try TipReplyAddress(tip: malformed) },
                       "\(malformed)/reply-address.txt: line 2 of the reply address is not a recipient or mailbox line")

        let address = ReplyAddress(recipient: AgeIdentity.generate().recipient, mailbox: try XCTUnwrap(MailboxID(String(repeating: "a", count: 52))))
        try address.fileContents.write(toFile: malformed + "/" + ReplyAddress.fileName, atomically: false, encoding: .utf8)
        let read = try TipReplyAddress(tip: malformed + "//")
        XCTAssertEqual(read.address, address)
        XCTAssertEqual(read.tip, malformed, "reported as DIR/<id>, without the slashes given")
    }

    func testTheMessageIsNonEmptyUTF8OfAtMost64KiB() throws {
        let folder = try temporaryFolder()
        XCTAssertEqual(try ReplyMessage(text: "Ça va?\n").bytes, Array("Ça va?\n".utf8))
        XCTAssertEqual(reason { try ReplyMessage(text: " \n\t") }, "the message is empty: there is nothing to reply")
        XCTAssertEqual(try ReplyMessage(text: String(repeating: "é", count: 32 << 10)).bytes.count, 64 << 10)
        XCTAssertEqual(reason { try ReplyMessage(text: String(repeating: "x", count: (64 << 10) + 1)) }, "the message is larger than 64 KiB")

        let file = folder + "/message.txt"
        XCTAssertEqual(reason { try ReplyMessage(file: file) }, "\(file): No such file or directory")
        try Data([0x66, 0xff, 0x0a]).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(reason { try ReplyMessage(file: file) }, "\(file): not valid UTF-8 text")
        try Data(repeating: 0x78, count: (64 << 10) + 1).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(reason { try ReplyMessage(file: file) }, "\(file): larger than 64 KiB")
        try Data("\n".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(reason { try ReplyMessage(file: file) }, "\(file) is empty: there is nothing to reply")
    }

    /// The command itself against a live listener: what it posts opens with the identity the
    /// tipster's codename derives, and with nothing else; the server's refusals come back in words.
    func testAReplyPostedByTheCommandOpensWithTheConversationsIdentity() async throws {
        let folder = try temporaryFolder()
        let access = access
        try await InboxTestSetup.withVault(access: [access], adjusting: { $0.maxRepliesPerMailbox = 1 }) { setup in
            let keys = try await setup.vault.conversationKeys(for: .generate())
            let tip = try decryptedTip(in: folder, address: ReplyAddress(keys).fileContents)
            let token = try tokenFile(folder + "/inbox.token", access.token)
            let wrongToken = try tokenFile(folder + "/wrong.token", InboxAccess.generate().token)
            let message = "Thank you.\nCould you tell us which office sent the letter? — the desk\n"
            let application = InboxServer.application(
                listen: .tcp(host: "127.0.0.1", port: 8081), configuration: setup.configuration, vault: setup.vault,
                logger: .init(label: "test"), onServerRunning: { _ in })
            try await application.test(.live) { client in
                let server = "http://127.0.0.1:\(try XCTUnwrap(client.port))"
                func reply(_ tokenFile: String) async throws {
                    let command = try XCTUnwrap(try Ashlink.parseAsRoot(
                        ["inbox", "reply", "--server", server, "--token-file", tokenFile, "--tip", tip, "--message", message]) as? InboxReply)
                    try await command.run()
                }
                try await reply(token)

                let refused = await Self.refusalOf { try await reply(wrongToken) }
                XCTAssertEqual(refused, "inbox reply: the inbox refused the access token")
                let full = await Self.refusalOf { try await reply(token) }
                XCTAssertEqual(full, "inbox reply: the inbox answered 503: This conversation already has 1 unread replies. Please wait until the source reads them.")
            }
            let replies = try await setup.vault.takeReplies(for: keys.mailbox)
            XCTAssertEqual(replies.count, 1)
            let opened = try keys.withIdentity { identity in
                var decryptor = AgeDecryptor(identities: [identity])
                return try decryptor.consume(replies[0]) + decryptor.finish()
            }
            XCTAssertEqual(String(decoding: opened, as: UTF8.self), message)
            var stranger = AgeDecryptor(identities: [setup.identity])
            XCTAssertThrowsError(try stranger.consume(replies[0]) + stranger.finish(), "the newsroom's own key does not open it")
        }
    }

    private static func refusalOf(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }
}
