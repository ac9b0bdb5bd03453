import XCTest
@testable import Vault

final class CryptoTests: XCTestCase {
    func testTokenTextRoundTripsAndIsStrict() throws {
        let token = LinkToken.random()
        XCTAssertEqual(token.text.count, 52)
        XCTAssertEqual(LinkToken(token.text), token)
        XCTAssertNil(LinkToken(token.text.uppercased()), "only the canonical lowercase spelling is a token")
        XCTAssertNil(LinkToken(String(token.text.dropLast())))
        XCTAssertNil(LinkToken(token.text + "a"))
        XCTAssertNil(LinkToken(String(repeating: "1", count: 52)), "1 is not in the base32 alphabet")
        XCTAssertNil(LinkToken("../../etc/passwd"))
        // The last character carries 4 padding bits that must be zero: "b" sets one of them.
        XCTAssertNil(LinkToken(String(repeating: "a", count: 51) + "b"))
        XCTAssertEqual(LinkToken(String(repeating: "a", count: 52))?.text, String(repeating: "a", count: 52))
        XCTAssertFalse("\(token)".contains(token.text), "a token never prints itself")
    }

    func testDerivedKeysAreDeterministicAndSeparatedByPurpose() {
        let token = LinkToken.random()
        let first = DerivedKeys(token: token, purpose: .secret)
        let again = DerivedKeys(token: token, purpose: .secret)
        let receipt = DerivedKeys(token: token, purpose: .receipt)
        XCTAssertEqual(first.rowID, again.rowID)
        XCTAssertNotEqual(first.rowID, receipt.rowID)
        XCTAssertNotEqual(first.rowID, token.bytes, "the row id is not the token")
        XCTAssertTrue(bytes(first.contentKey) == bytes(again.contentKey))
        XCTAssertFalse(bytes(first.contentKey) == bytes(receipt.contentKey))
        XCTAssertFalse(bytes(first.contentKey) == first.rowID)
    }

    func testSealOpensOnlyWithTheRightKeyRowAndBytes() {
        let keys = DerivedKeys(token: LinkToken.random(), purpose: .secret)
        let other = DerivedKeys(token: LinkToken.random(), purpose: .secret)
        let message = Array("meet at the usual place".utf8)
        let sealed = Seal.seal(message, key: keys.contentKey, boundTo: keys.rowID)
        XCTAssertEqual(sealed.count, message.count + Seal.overhead)
        XCTAssertEqual(Seal.open(sealed, key: keys.contentKey, boundTo: keys.rowID), message)
        XCTAssertNil(Seal.open(sealed, key: other.contentKey, boundTo: keys.rowID), "wrong key")
        XCTAssertNil(Seal.open(sealed, key: keys.contentKey, boundTo: other.rowID), "moved to another row")
        for index in [0, Seal.nonceLength, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x01
            XCTAssertNil(Seal.open(tampered, key: keys.contentKey, boundTo: keys.rowID), "flipped bit at \(index)")
        }
        XCTAssertNil(Seal.open(Array(sealed.prefix(10)), key: keys.contentKey, boundTo: keys.rowID), "truncated")
        XCTAssertNotEqual(Seal.seal(message, key: keys.contentKey, boundTo: keys.rowID), sealed, "fresh nonce each time")
    }

    func testPassphraseIsMixedIntoTheKey() {
        let keys = DerivedKeys(token: LinkToken.random(), purpose: .secret)
        let salt = Passphrase.randomSalt()
        let right = Passphrase.mix("correct horse", salt: salt, into: keys.contentKey)
        let again = Passphrase.mix("correct horse", salt: salt, into: keys.contentKey)
        let wrong = Passphrase.mix("correct horse.", salt: salt, into: keys.contentKey)
        let otherSalt = Passphrase.mix("correct horse", salt: Passphrase.randomSalt(), into: keys.contentKey)
        let otherToken = Passphrase.mix("correct horse", salt: salt, into: DerivedKeys(token: LinkToken.random(), purpose: .secret).contentKey)
        XCTAssertTrue(bytes(right) == bytes(again))
        XCTAssertFalse(bytes(right) == bytes(wrong))
        XCTAssertFalse(bytes(right) == bytes(otherSalt))
        XCTAssertFalse(bytes(right) == bytes(otherToken), "the passphrase alone does not make the key")
        XCTAssertFalse(bytes(right) == bytes(keys.contentKey))
        let sealed = Seal.seal(Array("x".utf8), key: right, boundTo: keys.rowID)
        XCTAssertNil(Seal.open(sealed, key: keys.contentKey, boundTo: keys.rowID), "the link alone does not open it")
        XCTAssertNil(Seal.open(sealed, key: wrong, boundTo: keys.rowID))
        XCTAssertNotNil(Seal.open(sealed, key: again, boundTo: keys.rowID))
    }

    func testGeneratedPasswordsUseTheUnambiguousAlphabet() {
        let passwords = (0..<200).map { _ in PasswordGenerator.generate() }
        XCTAssertEqual(Set(passwords).count, passwords.count)
        for password in passwords {
            XCTAssertEqual(password.count, PasswordGenerator.length)
            XCTAssertTrue(password.allSatisfy { PasswordGenerator.alphabet.contains($0) })
            XCTAssertFalse(password.contains { "0O1lI".contains($0) })
        }
    }

    private func bytes(_ secure: SecureBytes) -> [UInt8] {
        secure.withUnsafeBytes { Array($0) }
    }
}
