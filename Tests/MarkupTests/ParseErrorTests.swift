import Markup
import XCTest

/// A template that does not parse stops the start with its name, its line and the reason.
final class ParseErrorTests: XCTestCase {
    private func error(_ templates: [String: String]) -> MarkupError? {
        do {
            _ = try MarkupLibrary(templates: templates)
            XCTFail("parsed")
            return nil
        } catch {
            return error
        }
    }

    private func error(_ template: String) -> MarkupError? { error(["page": template]) }

    func testAnUnclosedSectionNamesTheLineThatOpenedIt() {
        XCTAssertEqual(error("a\nb {{#items}}\nc\n"), MarkupError(template: "page", line: 2, reason: "{{#items}} is never closed"))
        XCTAssertEqual(error("{{<layout}}{{$content}}x{{/content}}"),
                       MarkupError(template: "page", line: 1, reason: "{{<layout}} is never closed"))
    }

    func testAClosingTagMustMatchTheOpenSection() {
        XCTAssertEqual(error("{{#a}}\n{{^b}}\n{{/a}}"),
                       MarkupError(template: "page", line: 3, reason: "{{/a}} closes the section {{^b}} of line 2"))
        XCTAssertEqual(error("x\n{{/a}}"), MarkupError(template: "page", line: 2, reason: "{{/a}} closes no section"))
    }

    func testBrokenTagsAreRefused() {
        XCTAssertEqual(error("a\n{{name"), MarkupError(template: "page", line: 2, reason: "a tag is opened and never closed with }}"))
        XCTAssertEqual(error("{{{name}}"), MarkupError(template: "page", line: 1, reason: "a tag is opened and never closed with }}}"))
        XCTAssertEqual(error("{{na\nme}}"), MarkupError(template: "page", line: 1, reason: "a tag runs over a line break"))
        XCTAssertEqual(error("{{ }}")?.reason, "a tag has no name")
        XCTAssertEqual(error("{{#}}")?.reason, "a tag has no name")
        XCTAssertEqual(error("{{a b}}")?.reason, "\"a b\" is not a name (letters, digits, _ - ?, parts joined by dots)")
        XCTAssertEqual(error("{{a..b}}")?.line, 1)
        XCTAssertEqual(error("{{=<% %>=}}")?.reason, "set-delimiter and pragma tags ({{= and {{%) are not supported")
    }

    func testIncludesMustExistAndNeverLoop() {
        XCTAssertEqual(error(["page": "\n{{>missing}}"]),
                       MarkupError(template: "page", line: 2, reason: "it includes missing, which is not a template"))
        XCTAssertEqual(error(["page": "{{>page}}"])?.reason, "it includes page, which includes it")
        XCTAssertNotNil(error(["a": "{{>b}}", "b": "{{<a}}{{/a}}"]))
    }

    func testOnlyBlocksStandInsideAParent() {
        XCTAssertEqual(error(["layout": "", "page": "{{<layout}}\n{{value}}\n{{/layout}}"]),
                       MarkupError(template: "page", line: 2, reason: "inside {{<layout}} only blocks ({{$name}}) may stand"))
        XCTAssertEqual(error(["layout": "", "page": "{{<layout}}{{$a}}{{/a}}{{$a}}{{/a}}{{/layout}}"])?.reason,
                       "the block {{$a}} is given twice")
    }
}
