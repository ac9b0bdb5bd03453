import Age
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Translation
import Vault
import XCTest
@testable import Appliance

/// The pages in each shipped language, through the router: the prefixes, the language menu,
/// nothing left in English, and what stays without a language (the API).
final class LanguagePagesTests: XCTestCase {
    private let recipient = AgeIdentity.generate().recipient

    func testEveryPageInEveryLanguageHasItsLanguageItsMenuAndNoEnglishLeft() async throws {
        let offered = SiteLanguages.shipped
        for language in offered {
            try await withInboxApplication(recipient: recipient) { client, _ in
                let pages = try await PageTour(prefix: "/\(language.code)").visit(client)
                XCTAssertEqual(pages.count, PageTour.pageCount)
                for page in pages {
                    let html = page.html
                    XCTAssertTrue(
                        html.contains(#"<html lang="\#(language.code)" dir="\#(language.direction.rawValue)">"#), "\(language.code) \(page.name)")
                    if language.code == "fa" { XCTAssertTrue(html.contains(#"dir="rtl""#), page.name) }
                    if offered.count > 1 {
                        Self.assertMenu(html, offered: offered, current: language, page: page.name)
                    }
                    for english in CatalogCompletenessTests.untranslatedEnglish(in: language.catalog) where html.contains(english) {
                        XCTFail("\(language.code) \(page.name) shows English: \(english)")
                    }
                }
            }
        }
    }

    /// One link per offered language, named in itself, marked with its language, the current one
    /// marked current, each to this very page in that language.
    static func assertMenu(_ html: String, offered: [Language], current: Language, page: String) {
        for language in offered {
            let link = try? Regex(#"<a href="([^"]*)" lang="\#(language.code)" hreflang="\#(language.code)"( aria-current="page")?>([^<]*)</a>"#)
            guard let match = link.flatMap({ html.firstMatch(of: $0) }) else {
                return XCTFail("\(current.code) \(page): no menu link to \(language.code)")
            }
            XCTAssertEqual(match.output[3].substring.map(String.init), LocalizedTemplates.escaped(language.name), page)
            XCTAssertEqual(match.output[2].substring != nil, language.code == current.code, "\(current.code) \(page): aria-current")
        }
    }

    func testThePlainAddressesServeTheDefaultLanguageAndTheFormsKeepTheirPrefix() async throws {
        try await withInboxApplication(recipient: recipient) { client, _ in
            for (path, prefix) in [("/", ""), ("/en/", "/en"), ("/en", "/en")] {
                try await client.execute(uri: path, method: .get) { response in
                    XCTAssertEqual(response.status, .ok, path)
                    let page = String(buffer: response.body)
                    XCTAssertTrue(page.contains(#"<html lang="en" dir="ltr">"#), path)
                    XCTAssertTrue(page.contains(#"<form method="post" action="\#(prefix)/share">"#), path)
                    XCTAssertTrue(page.contains(#"<a href="\#(prefix)/tip">"#), path)
                }
            }
            try await client.execute(uri: "/en/tip/replies", method: .get) { response in
                XCTAssertTrue(String(buffer: response.body).contains(#"<form method="post" action="/en/tip/replies">"#))
            }
        }
    }

    func testUnknownOrNotOfferedPrefixesAndAPrefixedAPIAreNotFound() async throws {
        try await withInboxApplication(recipient: recipient, adjust: { $0.languages = .init(codes: ["en"], defaultCode: "en") }) { client, _ in
            let missing = SiteLanguages.shipped.map(\.code).filter { $0 != "en" } + ["xx", "de-DE", "EN"]
            for path in missing.map({ "/\($0)/" }) + ["/xx/tip", "/en/api/v1/share", "/en/en/"] {
                try await client.execute(uri: path, method: .get) { response in
                    XCTAssertEqual(response.status, .notFound, path)
                    XCTAssertTrue(String(buffer: response.body).contains("There is nothing at this address."), path)
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertFalse(String(buffer: response.body).contains("<nav"), "one language needs no menu")
            }
        }
    }

    func testTheAPIIsTheSameInEveryLanguage() async throws {
        try await withInboxApplication(recipient: recipient) { client, _ in
            try await client.execute(uri: "/api/v1/share?secret=", method: .post) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertEqual(String(buffer: response.body), #"{"message":"There is nothing to share: the secret is empty."}"#)
            }
        }
    }

    func testTheDefaultLanguageIsConfigurable() async throws {
        guard let other = SiteLanguages.shipped.first(where: { $0.code != "en" }) else {
            // With English alone, configuring it as the default is all there is to check.
            return XCTAssertNoThrow(try SiteLanguages(.init(codes: ["en"], defaultCode: "en")))
        }
        try await withInboxApplication(recipient: recipient, adjust: { $0.languages = .init(codes: ["en", other.code], defaultCode: other.code) }) { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                let page = String(buffer: response.body)
                XCTAssertTrue(page.contains(#"<html lang="\#(other.code)""#))
                XCTAssertTrue(page.contains(#"<a href="/en/" lang="en" hreflang="en">English</a>"#), page)
            }
        }
    }

    func testTheLanguageSettingsAreChecked() throws {
        XCTAssertEqual(try SiteLanguages.codes(parsing: " en,de , fa"), ["en", "de", "fa"])
        XCTAssertThrowsError(try SiteLanguages.codes(parsing: "en,,de"))
        XCTAssertThrowsError(try SiteLanguages(.init(codes: ["en", "xx"], defaultCode: "en"))) { error in
            XCTAssertTrue("\(error)".contains("xx is not a language of this build"), "\(error)")
        }
        XCTAssertThrowsError(try SiteLanguages(.init(codes: ["en", "en"], defaultCode: "en")))
        XCTAssertThrowsError(try SiteLanguages(.init(codes: ["en"], defaultCode: "xx"))) { error in
            XCTAssertEqual("\(error)", "default_language = xx must be one of languages (en)")
        }
        var configuration = ApplianceConfiguration()
        try ConfigFile.parse("languages = en\ndefault_language = xx\n", file: "test.conf", into: &configuration)
        XCTAssertThrowsError(try configuration.validated())
        XCTAssertEqual(try SiteLanguages(ApplianceConfiguration().languages).offered.map(\.code), SiteLanguages.shipped.map(\.code))
    }
}
