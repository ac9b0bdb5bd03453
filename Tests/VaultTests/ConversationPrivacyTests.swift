import XCTest
@testable import Age
@testable import Vault

/// What a conversation leaves in the data directory: replies as ciphertext under a digest of
/// their mailbox, nothing of the codename, its seed or its keys, and after a take not even that.
final class ConversationPrivacyTests: XCTestCase {
    func testTheDataDirectoryHoldsNoCodenameSeedKeyMailboxIdOrPlaintext() async throws {
        let vault = try makeVault()
        let directory = vault.configuration.directory
        let codename = Codename.generate()
        let keys = try await vault.conversationKeys(for: codename)
        let plaintext = distinctiveBytes(5000)
        let reply = try ageEncrypt(plaintext.bytes, to: keys.recipient)
        try await vault.storeReply(reply, for: keys.mailbox)
        try await vault.storeReply(try ageEncrypt(Array("a second reply".utf8), to: keys.recipient), for: keys.mailbox)

        let seed = codename.withNormalForm { Passphrase.stretch($0, salt: vault.codenameSalt) }.withUnsafeBytes { Array($0) }
        let identitySecret = keys.withIdentity { $0.secretKey.map { $0 } }
        let secrets: [(String, [UInt8])] = [
            ("the codename", Array(codename.text.utf8)),
            ("the seed", seed),
            ("the reply identity's secret", identitySecret),
            ("the mailbox id", keys.mailbox.bytes),
            ("the mailbox id's text", Array(keys.mailbox.text.utf8)),
            ("the reply's plaintext", plaintext.pattern),
        ]
        XCTAssertTrue(try anyFile(in: directory, contains: Array(reply.suffix(64))), "the scan finds the stored ciphertext")
        XCTAssertTrue(try anyFile(in: directory, contains: keys.mailbox.storageKey), "and the mailbox's digest")
        for (name, bytes) in secrets {
            XCTAssertFalse(try anyFile(in: directory, contains: bytes), "\(name) is not in the data directory")
        }

        let taken = try await vault.takeReplies(for: keys.mailbox)
        XCTAssertEqual(taken.count, 2)
        XCTAssertEqual(try keys.withIdentity { try ageDecrypt(taken[0], with: $0) }, plaintext.bytes)
        XCTAssertFalse(try anyFile(in: directory, contains: Array(reply.suffix(64))), "a taken reply is gone from every file")
        XCTAssertFalse(try anyFile(in: directory, contains: keys.mailbox.storageKey), "and so is its mailbox")
        for (name, bytes) in secrets {
            XCTAssertFalse(try anyFile(in: directory, contains: bytes), "\(name) is still not in the data directory")
        }
        let integrity = try await vault.integrityCheck()
        XCTAssertTrue(integrity)
    }
}
