import Translation
import XCTest

final class PlaceholderTests: XCTestCase {
    func testNamesAreLettersDigitsAndUnderscoresInBraces() {
        XCTAssertEqual(
            Placeholders.segments("Up to {maxFiles} files, {a_1}{b}"),
            [.text("Up to "), .placeholder("maxFiles"), .text(" files, "), .placeholder("a_1"), .placeholder("b")])
        XCTAssertEqual(Placeholders.segments("{1} { x} {} {a-b} {"), [.text("{1} { x} {} {a-b} {")])
        XCTAssertEqual(Placeholders.names(in: "{count} of {count} in {time}"), ["count", "time"])
    }

    func testSubstitutionLeavesUnknownPlaceholdersAsTheyAre() {
        XCTAssertEqual(Placeholders.substitute("{a} and {b}", ["a": "1", "c": "3"]), "1 and {b}")
        XCTAssertEqual(Placeholders.substitute("{a}", ["a": "{b}", "b": "2"]), "{b}", "a value is never read for placeholders")
    }
}
