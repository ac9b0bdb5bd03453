@testable import Vault
import XCTest

final class InboxAccessTests: XCTestCase {
    func testVerifierAdmitsItsTokenOnly() throws {
        let (token, verifierText) = InboxAccess.generate()
        let verifier = try XCTUnwrap(InboxAccess.Verifier(verifierText))
        XCTAssertTrue(verifier.admits(token))
        XCTAssertFalse(verifier.admits(InboxAccess.generate().token))
        XCTAssertFalse(verifier.admits(String(token.dropLast()) + (token.last == "a" ? "b" : "a")))
        XCTAssertFalse(verifier.admits(""))
        XCTAssertFalse(verifier.admits(verifierText), "a verifier is no token")
        XCTAssertEqual(verifier.text, verifierText)
    }

    func testMalformedVerifiersAreRefused() {
        let (token, verifierText) = InboxAccess.generate()
        XCTAssertNil(InboxAccess.Verifier(token), "a token is no verifier")
        XCTAssertNil(InboxAccess.Verifier(verifierText.dropLast()))
        XCTAssertNil(InboxAccess.Verifier(verifierText.uppercased()))
        XCTAssertNil(InboxAccess.Verifier("ashlink-access-v1-"))
    }
}
