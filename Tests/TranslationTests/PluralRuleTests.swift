import Translation
import XCTest

/// `Plural-Forms` expressions as the shipped languages and gettext's manual spell them.
final class PluralRuleTests: XCTestCase {
    func testTheRulesOfTheShippedLanguages() throws {
        let english = try PluralRule(header: "nplurals=2; plural=(n != 1);")
        XCTAssertEqual([0, 1, 2, 21].map(english.form(for:)), [1, 0, 1, 1])
        let french = try PluralRule(header: "nplurals=2; plural=(n > 1);")
        XCTAssertEqual([0, 1, 2].map(french.form(for:)), [0, 0, 1])
        let russian = try PluralRule(
            header: "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
        XCTAssertEqual([1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map(russian.form(for:)), [0, 1, 2, 2, 2, 0, 1, 2, 0, 2])
        let persian = try PluralRule(header: "nplurals=2; plural=(n > 1);")
        XCTAssertEqual(persian.count, 2)
        XCTAssertEqual(PluralRule.english.form(for: 1), 0)
        XCTAssertEqual(PluralRule.english.form(for: 7), 1)
    }

    func testPrecedenceAndAssociativityAreCs() throws {
        let arabic = try PluralRule(
            header: "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;")
        XCTAssertEqual([0, 1, 2, 3, 11, 100, 102].map(arabic.form(for:)), [0, 1, 2, 3, 4, 5, 5])
        let arithmetic = try PluralRule(header: "nplurals=3; plural=1 + n * 2 % 3 - 1 == 1 || !n;")
        // (1 + ((n * 2) % 3) - 1) == 1, or n == 0
        XCTAssertEqual([0, 1, 2, 5].map(arithmetic.form(for:)), [1, 0, 1, 1])
        let notEqual = try PluralRule(header: "nplurals=2; plural=!(n!=1);")
        XCTAssertEqual([1, 2].map(notEqual.form(for:)), [1, 0])
    }

    func testRefusesWhatIsNotARule() {
        for header in [
            "nplurals=2;", "plural=n!=1;", "nplurals=0; plural=0;", "nplurals=2; plural=n !! 1;",
            "nplurals=2; plural=(n != 1;", "nplurals=2; plural=n ? 1;", "nplurals=2; plural=x;", "nplurals=2; plural=n != 1; extra=1",
        ] {
            XCTAssertThrowsError(try PluralRule(header: header), header)
        }
        XCTAssertThrowsError(try PluralRule(header: "nplurals=2; plural=n;")) { error in
            XCTAssertEqual(error as? PluralRuleError, .outOfRange(n: 2))
        }
        let deep = "nplurals=2; plural=" + String(repeating: "(", count: 100) + "n" + String(repeating: ")", count: 100) + ";"
        XCTAssertThrowsError(try PluralRule(header: deep))
    }
}
