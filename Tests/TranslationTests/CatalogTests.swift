import Translation
import XCTest

final class CatalogTests: XCTestCase {
    private let german = #"""
        msgid ""
        msgstr ""
        "Language: de\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\n"

        msgid "The limit is {limit}."
        msgstr "Die Grenze ist {limit}."

        msgid "{count} day"
        msgid_plural "{count} days"
        msgstr[0] "{count} Tag"
        msgstr[1] "{count} Tage"

        msgctxt "language name"
        msgid "English"
        msgstr "Deutsch"

        msgid "Untranslated"
        msgstr ""
        """#

    func testTranslatesPluralsContextsAndMessagesInsidePlaceholders() throws {
        let catalog = try Catalog(parsing: german)
        XCTAssertEqual(catalog.language, "de")
        let days = Message(one: "{count} day", other: "{count} days", count: 3)
        XCTAssertEqual(catalog.text(days), "3 Tage")
        XCTAssertEqual(catalog.text(Message(one: "{count} day", other: "{count} days", count: 1)), "1 Tag")
        XCTAssertEqual(catalog.text(Message("The limit is {limit}.", ["limit": .message(days)])), "Die Grenze ist 3 Tage.")
        XCTAssertEqual(catalog.text(Message("English", context: "language name")), "Deutsch")
        XCTAssertNil(catalog.translation(of: Message("English")), "the context is part of the key")
    }

    func testFallsBackToTheEnglishAsGettextDoes() throws {
        let catalog = try Catalog(parsing: german)
        XCTAssertNil(catalog.translation(of: Message("Untranslated")))
        XCTAssertEqual(catalog.text(Message("Untranslated")), "Untranslated")
        XCTAssertEqual(catalog.text(Message("Unknown {x}", ["x": "1"])), "Unknown 1")
        XCTAssertEqual(Catalog.source.text(Message(one: "{count} hour", other: "{count} hours", count: 1)), "1 hour")
        XCTAssertEqual(Message(one: "{count} hour", other: "{count} hours", count: 0).englishText, "0 hours")
    }

    func testRefusesWhatWouldShowTheWrongText() {
        let header = "msgid \"\"\nmsgstr \"Language: ru\\nPlural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n\n"
        XCTAssertThrowsError(try Catalog(parsing: header + "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\"\n")) { error in
            XCTAssertEqual(error as? CatalogError, .pluralCount("a", line: 4, expected: 3, found: 2))
        }
        XCTAssertThrowsError(try Catalog(parsing: header + "msgid \"a\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgstr \"y\"\n")) { error in
            XCTAssertEqual(error as? CatalogError, .duplicate("a", line: 7))
        }
        XCTAssertThrowsError(try Catalog(parsing: "msgid \"a\"\nmsgstr \"x\"\n")) { error in
            XCTAssertEqual(error as? CatalogError, .noLanguage)
        }
        XCTAssertThrowsError(try Catalog(parsing: "msgid \"\"\nmsgstr \"Language: de\\nContent-Type: text/plain; charset=ISO-8859-1\\n\"\n")) { error in
            XCTAssertEqual(error as? CatalogError, .notUTF8("ISO-8859-1"))
        }
    }
}
