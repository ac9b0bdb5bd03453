import Markup
import Translation
import XCTest
@testable import Appliance

/// Two pages rendered in full against the markup they must give, byte for byte: the layout, its
/// blocks, a partial, sections both ways, the standalone lines, the escaping of every value.
final class PageMarkupTests: XCTestCase {
    private func english() throws -> MarkupLibrary {
        try MarkupLibrary(templates: LocalizedTemplates.templates(in: Catalog.source))
    }

    private let frame: [String: MarkupValue] = [
        "language": ["code": "en", "direction": "ltr"], "prefix": "/en", "hasLanguageMenu": true,
        "languageMenu": [
            ["code": "en", "name": "English", "current": true, "href": "/en/x"],
            ["code": "de", "name": "Deutsch", "current": false, "href": "/de/x"],
        ],
    ]

    func testTheMessagePageIsExactlyItsMarkup() throws {
        let values = frame.merging(["heading": "Tom & Jerry's <page>", "text": "\"Quoted\" text"]) { $1 }
        XCTAssertEqual(try english().render("message", values), Self.messagePage)
    }

    func testTheRepliesPageIsExactlyItsMarkup() throws {
        let values = frame.merging([
            "codename": "a\"b", "maxMessageCharacters": 1000, "maxMessageText": "1 KiB", "maxFilesText": "3 files",
            "maxTipText": "2 KiB", "replyWait": "30 days", "hasReplies": true,
            "replies": [["number": 1, "text": "<first>"], ["number": 2, "text": "second\nline"]],
        ]) { $1 }
        XCTAssertEqual(try english().render("replies", values), Self.repliesPage)
    }

    private static let messagePage = """
        MESSAGE
        """

    private static let repliesPage = """
        REPLIES
        """
}
