import Age
import XCTest
@testable import Appliance

/// Keyboard and screen-reader basics on every page in every language: each form control has a
/// label, and headings go down one level at a time from a single `<h1>`.
final class PageAccessibilityTests: XCTestCase {
    func testEveryControlIsLabelledAndHeadingsAreOrdered() async throws {
        for prefix in [""] + SiteLanguages.shipped.map({ "/\($0.code)" }) {
            try await withInboxApplication(recipient: AgeIdentity.generate().recipient) { client, _ in
                let pages = try await PageTour(prefix: prefix).visit(client)
                XCTAssertEqual(pages.count, PageTour.pageCount)
                for page in pages {
                    Self.assertLabelled(page.html, "\(prefix) \(page.name)")
                    Self.assertHeadingsOrdered(page.html, "\(prefix) \(page.name)")
                }
            }
        }
    }

    static func assertLabelled(_ html: String, _ page: String) {
        for control in html.matches(of: #/<(input|textarea|select)\b[^>]*>/#) {
            let tag = String(control.output.0)
            guard !tag.contains(#"type="hidden""#) else { continue }
            guard let id = tag.firstMatch(of: #/ id="([^"]+)"/#)?.output.1 else {
                XCTFail("\(page): a control without an id, so without a label: \(tag)")
                continue
            }
            XCTAssertTrue(html.contains(#"<label for="\#(id)">"#), "\(page): no label for \(id)")
        }
    }

    static func assertHeadingsOrdered(_ html: String, _ page: String) {
        let levels = html.matches(of: #/<h([1-6])\b/#).compactMap { Int($0.output.1) }
        XCTAssertEqual(levels.first, 1, "\(page): the first heading is the h1")
        XCTAssertEqual(levels.filter { $0 == 1 }.count, 1, "\(page): one h1")
        for (previous, next) in zip(levels, levels.dropFirst()) {
            XCTAssertLessThanOrEqual(next, previous + 1, "\(page): h\(previous) then h\(next)")
        }
    }
}
