import XCTest
@testable import Vault

/// A passphrase is compared in Unicode's canonical composition: the same characters typed on
/// another keyboard open the secret. Secrets whose passphrase was set as typed, before that, still
/// open with it.
final class PassphraseNormalizationTests: XCTestCase {
    private let secret = Array("accents".utf8)
    private let decomposed = "Cafe\u{301} A\u{30A}ngstro\u{308}m"  // e + ◌́, A + ◌̊, o + ◌̈
    private let composed = "Caf\u{E9} \u{C5}ngstr\u{F6}m"

    func testTheSamePassphraseTypedComposedOrDecomposedOpensTheSecret() async throws {
        XCTAssertNotEqual(Array(decomposed.utf8), Array(composed.utf8))
        let vault = try makeVault()
        let created = try await vault.create(secret: secret, passphrase: decomposed, ttl: nil)
        let revealed = try await vault.reveal(created.secretToken, passphrase: composed)
        XCTAssertEqual(revealed, .revealed(secret))

        let other = try await vault.create(secret: secret, passphrase: composed, ttl: nil)
        let again = try await vault.reveal(other.secretToken, passphrase: decomposed)
        XCTAssertEqual(again, .revealed(secret))
    }

    func testASecretSetWithTheBytesAsTypedStillOpensWithThem() async throws {
        let vault = try makeVault()
        let token = try insertSecretMixedAsTyped(decomposed, into: vault)
        let wrong = try await vault.reveal(token, passphrase: "Cafe")
        XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: vault.configuration.maxPassphraseAttempts - 1))
        let revealed = try await vault.reveal(token, passphrase: decomposed)
        XCTAssertEqual(revealed, .revealed(secret))
    }

    func testOnlyTheCanonicalFormCountsAsNormalized() {
        XCTAssertTrue(Passphrase.isNormalized(composed))
        XCTAssertFalse(Passphrase.isNormalized(decomposed))
        XCTAssertEqual(Passphrase.normalized(decomposed), Array(composed.utf8))
        XCTAssertEqual(Passphrase.normalized("\u{212B}"), Array("\u{C5}".utf8), "the ångström sign becomes Å")
    }

    /// A row as releases before normalisation wrote it: the passphrase's bytes as typed, in the
    /// v4 layout those releases wrote (kept as `secret_v4` since step 5).
    private func insertSecretMixedAsTyped(_ passphrase: String, into vault: Vault) throws -> LinkToken {
        let token = LinkToken.random(), receipt = LinkToken.random()
        let keys = DerivedKeys(token: token, purpose: .secret)
        let salt = Passphrase.randomSalt()
        let contentKey = Passphrase.mix(passphrase, asTyped: true, salt: salt, into: keys.contentKey)
        let receiptReference = Seal.seal(
            DerivedKeys(token: receipt, purpose: .receipt).rowID, key: keys.contentKey, boundTo: keys.rowID)
        try SQLiteConnection(path: vault.configuration.databasePath).query(
            "INSERT INTO secret_v4 (id, sealed, receipt_ref, salt, expires_minute) VALUES (?, ?, ?, ?, ?)",
            [
                .blob(keys.rowID), .blob(Seal.seal(secret, key: contentKey, boundTo: keys.rowID)), .blob(receiptReference),
                .blob(salt), .integer(Int64.max / 2),
            ])
        return token
    }
}
