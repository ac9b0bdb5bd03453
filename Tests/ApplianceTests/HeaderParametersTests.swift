import XCTest
@testable import Appliance

final class HeaderParametersTests: XCTestCase {
    func testAValueAndItsParameters() throws {
        let parsed = try XCTUnwrap(HeaderParameters(#"Form-Data; NAME="file"; filename="a \"b\"; c.txt" ; size=12"#))
        XCTAssertEqual(parsed.value, "form-data")
        XCTAssertEqual(parsed.parameters, ["name": "file", "filename": #"a "b"; c.txt"#, "size": "12"])
        XCTAssertEqual(HeaderParameters("form-data;")?.parameters, [:])
        XCTAssertEqual(HeaderParameters("multipart/form-data;boundary=x")?.parameters, ["boundary": "x"])
    }

    func testAnythingAmbiguousIsUnreadable() {
        for text in [
            "", " ; name=x", "form-data; name", "form-data; name=\"open", "form-data; name=a b", "form-data; =x",
            "form-data; name=x; NAME=y", "form-data; name=\"x\"junk", "form data", "form-data; na me=x", "form-data; name=\"x\\",
        ] {
            XCTAssertNil(HeaderParameters(text), text)
        }
    }
}
