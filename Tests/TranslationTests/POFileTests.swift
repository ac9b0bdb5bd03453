import Translation
import XCTest

/// The `.po` subset gettext writes, and the line numbers of what it refuses.
final class POFileTests: XCTestCase {
    func testReadsTheHeaderContextsPluralsAndMultiLineStrings() throws {
        let file = try POFile(parsing: #"""
            # A translator's comment.
            msgid ""
            msgstr ""
            "Language: de\n"
            "Plural-Forms: nplurals=2; plural=(n != 1);\n"

            #. a note for translators
            #: Sources/Appliance/Web/Templates.swift
            msgctxt "language name"
            msgid "English"
            msgstr "Deutsch"

            msgid ""
            "A long message "
            "on two lines"
            msgstr ""
            "Eine lange Nachricht "
            "auf zwei Zeilen"

            msgid "{count} day"
            msgid_plural "{count} days"
            msgstr[0] "{count} Tag"
            msgstr[1] "{count} Tage"
            """#)
        XCTAssertEqual(file.header["Language"], "de")
        XCTAssertEqual(file.header["Plural-Forms"], "nplurals=2; plural=(n != 1);")
        XCTAssertEqual(file.entries.map(\.id), ["English", "A long message on two lines", "{count} day"])
        XCTAssertEqual(file.entries[0].context, "language name")
        XCTAssertEqual(file.entries[0].translations, ["Deutsch"])
        XCTAssertEqual(file.entries[1].translations, ["Eine lange Nachricht auf zwei Zeilen"])
        XCTAssertEqual(file.entries[2].plural, "{count} days")
        XCTAssertEqual(file.entries[2].translations, ["{count} Tag", "{count} Tage"])
        XCTAssertEqual(file.entries[2].line, 20)
    }

    func testDecodesCEscapesAsUTF8Bytes() throws {
        let file = try POFile(parsing: #"""
            msgid "a\tb\n\"q\" \\ \x41"
            msgstr "caf\303\251 \101"
            """#)
        XCTAssertEqual(file.entries.first?.id, "a\tb\n\"q\" \\ A")
        XCTAssertEqual(file.entries.first?.translations, ["café A"])
    }

    func testLeavesOutFuzzyAndObsoleteEntriesButKeepsAFuzzyHeader() throws {
        let file = try POFile(parsing: #"""
            #, fuzzy
            msgid ""
            msgstr "Language: fr\n"

            #, fuzzy, python-brace-format
            msgid "Guess"
            msgstr "Devinette"

            #, python-brace-format
            msgid "Sure"
            msgstr "Certain"
            #~ msgid "Old"
            #~ msgstr "Vieux"
            """#)
        XCTAssertEqual(file.header["Language"], "fr")
        XCTAssertEqual(file.entries.map(\.id), ["Sure"])
    }

    func testEntriesNeedNoBlankLineBetweenThem() throws {
        let file = try POFile(parsing: "msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\"\r\nmsgstr \"d\"\r\n")
        XCTAssertEqual(file.entries.map(\.id), ["a", "c"])
        XCTAssertEqual(file.entries.map(\.translations), [["b"], ["d"]])
    }

    func testRefusalsNameTheirLine() {
        let cases: [(String, Int, String)] = [
            ("msgid \"a\"\nmsgstr \"b\n", 2, "expected a string in double quotes"),
            ("msgid \"a\"\n\"more\"\n\n\"stray\"\n", 1, "msgid without a msgstr"),
            ("\"stray\"\n", 1, "a string that continues no msgid or msgstr"),
            ("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 3, "msgstr out of place"),
            ("msgid \"a\"\nmsgtxt \"b\"\n", 2, "unknown keyword msgtxt"),
            ("msgid \"a\\q\"\nmsgstr \"\"\n", 1, "unknown escape \\q"),
            ("msgid \"a\\377\"\nmsgstr \"\"\n", 1, "the string is not UTF-8"),
            ("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"x\"\n", 3, "msgstr[1] out of place"),
            ("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\n", 1, "a plural entry needs msgstr[0] and msgstr[1] at least"),
            ("msgid \"say \"hi\"\"\nmsgstr \"\"\n", 1, "a double quote inside a string must be written \\\""),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try POFile(parsing: text), text) { error in
                XCTAssertEqual(error as? POError, POError(line: line, reason: reason), text)
            }
        }
    }
}
