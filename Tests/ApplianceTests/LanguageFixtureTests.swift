import Markup
import Translation
import XCTest
@testable import Appliance

/// What a catalog can and cannot do to a page, with a right-to-left catalog written for the
/// test: its name and direction come from it, its text is escaped, its placeholders may move.
final class LanguageFixtureTests: XCTestCase {
    private static let persian = #"""
        msgid ""
        msgstr ""
        "Language: fa\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Plural-Forms: nplurals=2; plural=(n > 1);\n"

        msgctxt "language name"
        msgid "English"
        msgstr "فارسی"

        msgctxt "text direction"
        msgid "ltr"
        msgstr "rtl"

        msgid "Share a secret"
        msgstr "یک راز بفرستید"

        msgid "Your secret or tip"
        msgstr "<b>{{secret}}</b> & \"x\" {notAPlaceholder"

        msgid "Up to {maxMessageText} of text, and up to {maxFilesText}; the whole tip, files included, up to {maxTipText}."
        msgstr "{maxTipText} در کل، {maxFilesText} و {maxMessageText} متن"
        """#

    func testTheCatalogNamesItsLanguageAndDirection() throws {
        let language = try Language(code: "fa", catalog: try Catalog(parsing: Self.persian))
        XCTAssertEqual(language.name, "فارسی")
        XCTAssertEqual(language.direction, .rightToLeft)
        let nameless = Self.persian.replacingOccurrences(of: "msgstr \"فارسی\"", with: "msgstr \"\"")
        XCTAssertThrowsError(try Language(code: "fa", catalog: try Catalog(parsing: nameless))) { error in
            XCTAssertEqual(error as? LanguageError, .noName("fa"))
        }
        let sideways = Self.persian.replacingOccurrences(of: "msgstr \"rtl\"", with: "msgstr \"up\"")
        XCTAssertThrowsError(try Language(code: "fa", catalog: try Catalog(parsing: sideways))) { error in
            XCTAssertEqual(error as? LanguageError, .noDirection("fa"))
        }
    }

    func testTranslationsAreEscapedAndCannotBecomeMustacheTags() throws {
        let create = LocalizedTemplates.localized(Templates.create, try Catalog(parsing: Self.persian))
        XCTAssertTrue(create.contains("<h1>یک راز بفرستید</h1>"))
        XCTAssertTrue(create.contains(#"<label for="secret">&lt;b&gt;&#123;&#123;secret&#125;&#125;&lt;/b&gt; &amp; &quot;x&quot; &#123;notAPlaceholder</label>"#), create)
        XCTAssertTrue(create.contains("{{#t}}") == false)
        XCTAssertTrue(create.contains("<button type=\"submit\">Create a secret link</button>"), "an untranslated sentence stays English")
    }

    func testPlaceholdersMoveAndTheirValuesAreEscaped() throws {
        let templates = LocalizedTemplates.templates(in: try Catalog(parsing: Self.persian))
        let library = try MarkupLibrary(templates: templates)
        let page = try XCTUnwrap(library.render(
            "tip", ["maxMessageText": "1 <MiB>", "maxFilesText": "20", "maxTipText": "100 MiB", "language": ["code": "fa", "direction": "rtl"]]))
        XCTAssertTrue(page.contains("<li>100 MiB در کل، 20 و 1 &lt;MiB&gt; متن</li>"), page)
        XCTAssertTrue(page.contains(#"<html lang="fa" dir="rtl">"#))
    }
}
