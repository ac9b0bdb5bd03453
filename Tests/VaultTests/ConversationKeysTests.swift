import CSodium
import XCTest
@testable import Age
@testable import Vault

/// What a codename opens: the same keys for the same codename and salt, other keys otherwise, and
/// an identity and a mailbox that say nothing about each other.
final class ConversationKeysTests: XCTestCase {
    func testTheSameCodenameAndSaltGiveTheSameKeysWhateverTheSpelling() throws {
        let codename = Codename.generate()
        let salt = Passphrase.randomSalt()
        let first = ConversationKeys(codename: codename, salt: salt)
        let retyped = ConversationKeys(codename: try Codename(parsing: "  " + codename.text.uppercased() + "\n"), salt: salt)
        XCTAssertEqual(first.mailbox, retyped.mailbox)
        XCTAssertEqual(first.recipient, retyped.recipient)
        XCTAssertEqual(identitySecret(first), identitySecret(retyped))
    }

    func testAnotherSaltOrCodenameGivesOtherKeys() {
        let codename = Codename.generate()
        let salt = Passphrase.randomSalt()
        let keys = ConversationKeys(codename: codename, salt: salt)
        for other in [ConversationKeys(codename: codename, salt: Passphrase.randomSalt()),
                      ConversationKeys(codename: Codename.generate(), salt: salt)] {
            XCTAssertNotEqual(keys.mailbox, other.mailbox)
            XCTAssertNotEqual(keys.recipient, other.recipient)
            XCTAssertNotEqual(identitySecret(keys), identitySecret(other))
        }
    }

    func testIdentityAndMailboxComeFromTheSeedUnderContextsOfTheirOwn() {
        let seed = SecureBytes(count: 32)
        seed.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        let keys = ConversationKeys(seed: seed)
        let mailbox = kdf(seed, context: ConversationKeys.mailboxContext)
        let identity = kdf(seed, context: ConversationKeys.identityContext)
        XCTAssertNotEqual(ConversationKeys.mailboxContext, ConversationKeys.identityContext)
        XCTAssertEqual(keys.mailbox.bytes, mailbox)
        XCTAssertEqual(identitySecret(keys), identity)
        XCTAssertEqual(keys.recipient, AgeIdentity(secretKey: identity).recipient)
        let seedBytes = seed.withUnsafeBytes { Array($0) }
        XCTAssertNotEqual(mailbox, identity)
        XCTAssertNotEqual(mailbox, seedBytes)
        XCTAssertNotEqual(identity, seedBytes)
        XCTAssertNotEqual(keys.mailbox.bytes, keys.recipient.publicKey)
        XCTAssertNotEqual(keys.mailbox.storageKey, keys.mailbox.bytes, "the table is keyed by a digest, not the id")
    }

    func testARepliesRoundTripToTheDerivedIdentityAndNoOther() throws {
        let salt = Passphrase.randomSalt()
        let keys = ConversationKeys(codename: Codename.generate(), salt: salt)
        let stranger = ConversationKeys(codename: Codename.generate(), salt: salt)
        let message = Array("Thank you. Can you say which office sent the memo?".utf8)
        let reply = try ageEncrypt(message, to: keys.recipient)
        XCTAssertEqual(try keys.withIdentity { try ageDecrypt(reply, with: $0) }, message)
        XCTAssertThrowsError(try stranger.withIdentity { try ageDecrypt(reply, with: $0) }) { error in
            XCTAssertEqual(error as? AgeError, .noMatch)
        }
        let kept = keys.withIdentity { $0 }
        XCTAssertThrowsError(try ageDecrypt(reply, with: kept), "an identity kept past withIdentity is wiped")
    }

    func testTheVaultsSaltIsMadeOnceAndKeptAcrossRestarts() async throws {
        let directory = try makeTemporaryDirectory(), elsewhere = try makeTemporaryDirectory()
        defer { removeDirectory(directory); removeDirectory(elsewhere) }
        let codename = Codename.generate()
        let first = try await Vault(configuration: VaultConfiguration(directory: directory)).conversationKeys(for: codename)
        let reopened = try Vault(configuration: VaultConfiguration(directory: directory))
        let again = try await reopened.conversationKeys(for: codename)
        XCTAssertEqual(first.mailbox, again.mailbox)
        XCTAssertEqual(first.recipient, again.recipient)
        let salts = try SQLiteConnection(path: reopened.configuration.databasePath)
            .query("SELECT codename_salt FROM installation").compactMap { $0.blob("codename_salt") }
        XCTAssertEqual(salts, [reopened.codenameSalt])
        XCTAssertEqual(salts.first?.count, Passphrase.saltLength)

        let other = try await Vault(configuration: VaultConfiguration(directory: elsewhere)).conversationKeys(for: codename)
        XCTAssertNotEqual(other.mailbox, first.mailbox, "another installation, another conversation")
        XCTAssertNotEqual(other.recipient, first.recipient)
    }

    func testMailboxTextRoundTripsAndNeverPrintsItself() {
        let mailbox = MailboxID(bytes: Sodium.randomBytes(MailboxID.byteCount))
        XCTAssertEqual(mailbox.text.count, 52)
        XCTAssertEqual(MailboxID(mailbox.text), mailbox)
        XCTAssertNil(MailboxID(mailbox.text.uppercased()))
        XCTAssertNil(MailboxID(String(mailbox.text.dropLast())))
        XCTAssertFalse("\(mailbox)".contains(mailbox.text))
    }

    private func identitySecret(_ keys: ConversationKeys) -> [UInt8] {
        // A copy of its own: the identity's storage is wiped when withIdentity returns.
        keys.withIdentity { $0.secretKey.map { $0 } }
    }

    private func kdf(_ seed: SecureBytes, context: String) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        _ = context.withCString { crypto_kdf_derive_from_key(&key, key.count, 1, $0, seed.base) }
        return key
    }
}
