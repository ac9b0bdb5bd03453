import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Translation
import XCTest
@testable import Appliance

/// One request per page (docs/decisions/0025-inline-styles.md): every page of every language
/// carries its styles inline, under a policy that allows exactly them, asks for nothing else,
/// and stays within 8 KiB.
final class InlineStyleTests: XCTestCase {
    static let pageLimit = 8192
    private let recipient = AgeIdentity.generate().recipient

    func testEveryPageInEveryLanguageIsOneRequestOfAtMostEightKiB() async throws {
        let languages = SiteLanguages.shipped
        let plain = try SiteLanguages(ApplianceConfiguration().languages).language(nil)
        for (prefix, language) in [("", plain)] + languages.map({ ("/\($0.code)", $0) }) {
            let style = PageStyle(catalog: language.catalog)
            try await withInboxApplication(recipient: recipient) { client, _ in
                let pages = try await PageTour(prefix: prefix).visit(client)
                XCTAssertEqual(pages.count, PageTour.pageCount)
                for page in pages {
                    let what = "\(prefix.isEmpty ? "/" : prefix) \(page.name)"
                    XCTAssertLessThanOrEqual(page.html.utf8.count, Self.pageLimit, what)
                    XCTAssertEqual(try Self.styleBlocks(page.html), [style.block, Stylesheet.noscript], what)
                    Self.assertNoSubresource(page.html, what)
                    Self.assertPagePolicy(page.contentSecurityPolicy, what)
                    XCTAssertEqual(page.contentSecurityPolicy, style.contentSecurityPolicy, "\(what): one policy for the language")
                }
            }
        }
        let policies = Set(languages.map { PageStyle(catalog: $0.catalog).contentSecurityPolicy })
        XCTAssertEqual(policies.count, languages.count, "each language's warning is its own block, with its own hash")
    }

    func testEachLanguagesBlockHoldsItsWarningAndCannotEndItsElement() {
        for language in SiteLanguages.shipped {
            let block = Stylesheet.block(in: language.catalog)
            let warning = Stylesheet.cssString(language.catalog.text(Stylesheet.javaScriptWarning))
            XCTAssertTrue(block.hasSuffix(".js-warning::before{content:\(warning)}"), language.code)
            XCTAssertFalse(block.contains("<"), "\(language.code): nothing in a block can close the <style> element")
            XCTAssertFalse(block.contains("left") || block.contains("right"), "logical properties only")
        }
        XCTAssertTrue(Stylesheet.block(in: SiteLanguages.shipped[0].catalog).contains("JavaScript is on. Set Tor Browser to Safest"))
        XCTAssertEqual(Stylesheet.cssString("a\"</style>{}"), #""a\22 \3c /style\3e \7b \7d ""#)
    }

    func testTheMinifierDropsOnlyWhitespaceAndLastSemicolons() {
        let css = """
            a { color: red; }
            @media (prefers-color-scheme: dark) { b c { margin: 0 auto; } }
            .d, .e { font: 1rem/1.5 system-ui, sans-serif; }
            :focus-visible { outline: 3px solid var(--x); }
            """
        XCTAssertEqual(
            Stylesheet.minified(css),
            "a{color:red}@media (prefers-color-scheme:dark){b c{margin:0 auto}}.d,.e{font:1rem/1.5 system-ui,sans-serif}:focus-visible{outline:3px solid var(--x)}")
    }

    /// The layout's two style blocks are the only unescaped tags: every other value is escaped.
    func testOnlyTheStyleBlocksAreUnescaped() throws {
        let unescaped = try Regex(#"\{\{(\{|&)[^}]*\}\}\}?"#)
        for (name, template) in Templates.all {
            let tags = template.matches(of: unescaped).map { String(template[$0.range]) }
            XCTAssertEqual(tags, name == "layout" ? ["{{{style}}}", "{{{noscriptStyle}}}"] : [], name)
        }
    }

    /// `default-src 'none'` and the rest as strict as ever; styles only by two hashes.
    static func assertPagePolicy(_ policy: String?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let hash = #"'sha256-[A-Za-z0-9+/]{43}='"#
        let pattern = "default-src 'none'; style-src \(hash) \(hash); form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        XCTAssertNotNil(policy.flatMap { try? Regex(pattern).wholeMatch(in: $0) }, "\(what): \(policy ?? "no policy")", file: file, line: line)
    }

    /// The text of each `<style>` element, in order.
    static func styleBlocks(_ html: String) throws -> [String] {
        try html.matches(of: Regex("<style>([^<]*)</style>")).compactMap { $0.output[1].substring.map(String.init) }
    }

    static func assertNoSubresource(_ html: String, _ what: String) {
        for reference in ["<link", " src=", " srcset=", " style=", "url(", "@import", "<script", "<img", "<iframe", "<object"] {
            XCTAssertFalse(html.contains(reference), "\(what) asks for more than itself: \(reference)")
        }
    }
}
