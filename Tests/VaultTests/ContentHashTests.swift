import XCTest
@testable import Vault

/// FIPS 180-2's test vectors, in the padded base64 a Content-Security-Policy hash source takes.
final class ContentHashTests: XCTestCase {
    func testSHA256MatchesTheStandardVectorsInPaddedBase64() {
        XCTAssertEqual(ContentHash.sha256Base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        XCTAssertEqual(ContentHash.sha256Base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        XCTAssertEqual(
            ContentHash.sha256Base64("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=")
    }

    func testBase64PadsToWholeQuanta() {
        XCTAssertEqual(ContentHash.base64(Array("f".utf8)), "Zg==")
        XCTAssertEqual(ContentHash.base64(Array("fo".utf8)), "Zm8=")
        XCTAssertEqual(ContentHash.base64(Array("foo".utf8)), "Zm9v")
    }
}
