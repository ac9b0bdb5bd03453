import XCTest
@testable import Appliance
import Translation

final class SubmittedFieldsTests: XCTestCase {
    private func decoded(_ body: String) throws -> SubmittedFields {
        try SubmittedFields.decode(Array(body.utf8))
    }

    func testTheThreeFieldsAsTyped() throws {
        let fields = try decoded("secret=a+b%2Bc%26d%3D&passphrase=%C3%A9t%C3%A9&ttl=3600&recipient=x&recipient[]=y&&lone")
        XCTAssertEqual(fields.secret, "a b+c&d=")
        XCTAssertEqual(fields.passphrase, "été")
        XCTAssertEqual(fields.ttl, "3600")
        XCTAssertEqual(try decoded("secret=").secret, "")
        XCTAssertNil(try decoded("").secret)
        XCTAssertNil(try decoded("secret").secret, "a piece without = is no field")
        XCTAssertEqual(try decoded("se%63ret=x").secret, "x", "names are percent-decoded too")
        XCTAssertNil(try decoded("secret+=x").secret, "a + in a name stays a +")
    }

    func testWhatCannotBeReadIsRefusedWithItsReason() {
        for (body, reason) in [
            ("secret=a&secret=b", "form encoding"), ("secret[]=a", "form encoding"), ("ttl[x]=1", "form encoding"),
            ("secret=%", "form encoding"), ("secret=%4", "form encoding"), ("secret=%zz", "form encoding"),
            ("x=%g0&secret=a", "form encoding"), ("secret=%FF", "UTF-8"), ("secret=%E2%82", "UTF-8"),
        ] {
            XCTAssertThrowsError(try decoded(body), body) { error in
                let refusal = error as? UserFacingError
                XCTAssertEqual(refusal?.status, .badRequest, body)
                XCTAssertTrue(refusal?.message.englishText.contains(reason) == true, "\(body): \(String(describing: refusal))")
            }
        }
    }
}
