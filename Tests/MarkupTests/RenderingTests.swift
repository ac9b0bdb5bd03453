import Markup
import XCTest

/// The Mustache subset the pages use, rendered as Mustache renders it.
final class RenderingTests: XCTestCase {
    private func render(_ template: String, _ values: [String: MarkupValue] = [:], partials: [String: String] = [:]) throws -> String {
        let library = try MarkupLibrary(templates: partials.merging(["page": template]) { $1 })
        return try XCTUnwrap(library.render("page", values))
    }

    func testValuesAreEscapedExactlyAsMustacheEscapesThem() throws {
        XCTAssertEqual(try render("<p title=\"{{v}}\">{{v}}</p>", ["v": "a & <b> \"c\" 'd' é 😀 {{x}}"]),
                       "<p title=\"a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; é 😀 {{x}}\">a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; é 😀 {{x}}</p>")
        XCTAssertEqual(try render("{{{v}}}|{{& v}}", ["v": "<b>&</b>"]), "<b>&</b>|<b>&</b>")
    }

    /// A quote followed by a combining mark is one Character in Swift: escaping by characters
    /// would let it out of an attribute.
    func testACombiningMarkCannotHideAQuote() throws {
        XCTAssertEqual(try render("<input value=\"{{v}}\">", ["v": "\"\u{301} autofocus x=\""]),
                       "<input value=\"&quot;\u{301} autofocus x=&quot;\">")
        XCTAssertEqual(try render("{{v}}", ["v": "<\u{338}"]), "&lt;\u{338}")
    }

    func testNamesAreLookedUpThroughTheStack() throws {
        let values: [String: MarkupValue] = [
            "prefix": "/de", "language": ["code": "de"], "items": [["name": "one"], ["name": "two", "prefix": "/fr"]],
        ]
        XCTAssertEqual(try render("{{language.code}} {{#items}}{{prefix}}:{{name}} {{/items}}{{missing}}{{language.missing}}", values),
                       "de /de:one /fr:two ")
        XCTAssertEqual(try render("{{#notice}}[{{.}}]{{/notice}}", ["notice": "hi"]), "[hi]")
        XCTAssertEqual(try render("{{n}} {{yes}} {{no}}", ["n": 42, "yes": true, "no": false]), "42 true false")
    }

    func testSectionsAndInvertedSections() throws {
        let template = "{{#v}}+{{/v}}{{^v}}-{{/v}}"
        let cases: [(MarkupValue?, String)] = [
            (true, "+"), (false, "-"), (nil, "-"), ("", "+"), ("text", "+"), (["a": "b"], "+"),
            ([], "-"), (["x", "y", "z"], "+++"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(try render(template, value.map { ["v": $0] } ?? [:]), expected, "\(String(describing: value))")
        }
        XCTAssertEqual(try render("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", ["a": ["b": ["c": "deep"]]]), "deep")
    }

    func testCommentsRenderNothing() throws {
        XCTAssertEqual(try render("a{{! a comment }}b\n  {{! standalone,\n  over two lines }}\nc"), "ab\nc")
    }

    func testALineHoldingOnlyASectionTagVanishes() throws {
        let template = """
            <ul>
              {{#items}}
            <li>{{.}}</li>
              {{/items}}
            </ul>
            {{#items}}<b>{{.}}</b>{{/items}}
            """
        XCTAssertEqual(try render(template, ["items": ["1", "2"]]), "<ul>\n<li>1</li>\n<li>2</li>\n</ul>\n<b>1</b><b>2</b>")
        XCTAssertEqual(try render("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n", ["t": true]), "a\r\nb\r\n")
        XCTAssertEqual(try render("x {{#t}}\ny{{/t}} \n", ["t": true]), "x \ny \n", "not alone on their lines")
    }

    func testPartialsAreIndentedLikeTheirLine() throws {
        XCTAssertEqual(try render("<div>\n  {{>item}}\n</div>", ["v": "x"], partials: ["item": "<p>{{v}}</p>\n<p>2</p>\n"]),
                       "<div>\n  <p>x</p>\n  <p>2</p>\n</div>")
        XCTAssertEqual(try render("[{{>item}}]", ["v": "x"], partials: ["item": "<p>{{v}}</p>"]), "[<p>x</p>]")
    }

    func testAChildReplacesItsParentsBlocks() throws {
        let layout = "<title>{{$title}}Default{{/title}}</title>\n<main>\n{{$content}}{{/content}}\n</main>"
        let page = """
            {{<layout}}
            ignored text
            {{$content}}
            <h1>{{heading}}</h1>
            {{/content}}
            {{/layout}}
            """
        XCTAssertEqual(try render(page, ["heading": "Hi"], partials: ["layout": layout]),
                       "<title>Default</title>\n<main>\n<h1>Hi</h1>\n\n</main>")
        let middle = "{{<layout}}{{$title}}Middle{{/title}}{{$content}}middle content{{/content}}{{/layout}}"
        let outer = "{{<middle}}{{$title}}Outer{{/title}}{{/middle}}"
        XCTAssertEqual(try render(outer, partials: ["layout": layout, "middle": middle]),
                       "<title>Outer</title>\n<main>\nmiddle content\n</main>", "the outermost child's block wins")
    }
}
