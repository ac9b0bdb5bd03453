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
        // Inserted as they are (triple mustache): the style blocks are the binary's own text.
        "style": "a>b{content:\"&\"}", "noscriptStyle": ".js-warning{display:none}",
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
        <!doctype html>
        <html lang="en" dir="ltr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Tom &amp; Jerry&#39;s &lt;page&gt; – Ashlink</title>
        <style>a>b{content:"&"}</style>
        <noscript><style>.js-warning{display:none}</style></noscript>
        </head>
        <body>
        <header><a class="brand" href="/en/">Ashlink</a> <span class="tagline">one-time secrets</span>
        <nav class="languages" aria-label="Languages"><ul>
        <li><a href="/en/x" lang="en" hreflang="en" aria-current="page">English</a></li>
        <li><a href="/de/x" lang="de" hreflang="de">Deutsch</a></li>
        </ul></nav></header>
        <p class="js-warning" role="alert"></p>
        <main>
        <h1>Tom &amp; Jerry&#39;s &lt;page&gt;</h1>
        <p>&quot;Quoted&quot; text</p>
        <p><a href="/en/">Go to the start page</a></p>

        </main>
        <footer><p>No cookies, no JavaScript, no logs of who you are. Secrets are encrypted with a key that only the link carries.</p></footer>
        </body>
        </html>
        """

    private static let repliesPage = """
        <!doctype html>
        <html lang="en" dir="ltr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>Replies – Ashlink</title>
        <style>a>b{content:"&"}</style>
        <noscript><style>.js-warning{display:none}</style></noscript>
        </head>
        <body>
        <header><a class="brand" href="/en/">Ashlink</a> <span class="tagline">one-time secrets</span>
        <nav class="languages" aria-label="Languages"><ul>
        <li><a href="/en/x" lang="en" hreflang="en" aria-current="page">English</a></li>
        <li><a href="/de/x" lang="de" hreflang="de">Deutsch</a></li>
        </ul></nav></header>
        <p class="js-warning" role="alert"></p>
        <main>
        <h1>Replies from the newsroom</h1>
        <p class="notice" role="status">These replies are deleted from the server now: this is the only time they are shown. Keep what you need somewhere safe before you leave this page.</p>
        <section class="reply" aria-labelledby="reply-1">
        <h2 id="reply-1">Reply 1</h2>
        <div class="reply-text" dir="auto">&lt;first&gt;</div>
        </section>
        <section class="reply" aria-labelledby="reply-2">
        <h2 id="reply-2">Reply 2</h2>
        <div class="reply-text" dir="auto">second
        line</div>
        </section>
        <h2>Add to your conversation</h2>
        <form method="post" action="/en/tip" enctype="multipart/form-data">
        <input type="hidden" name="codename" value="a&quot;b">
        <label for="message">Your tip</label>
        <textarea id="message" name="message" rows="12" maxlength="1000" autocomplete="off" spellcheck="false" dir="auto"></textarea>
        <label for="file">Files <span class="hint">(optional: documents, spreadsheets, photos, any kind of file; up to 3 files, 2 KiB in all)</span></label>
        <input id="file" name="file" type="file" multiple>
        <p class="hint" id="metadata-warning">Files can carry hidden information about where they came from: a document&#39;s author name, a photo&#39;s GPS position and the camera that took it. The newsroom will see all of it. Removing it is not done here: the newsroom decides whether to strip it, on its own offline computer. If that information could name you, think before you attach the file.</p><button type="submit">Send the follow-up</button>
        </form>

        </main>
        <footer><p>No cookies, no JavaScript, no logs of who you are. Tips are encrypted on arrival for the newsroom alone.</p></footer>
        </body>
        </html>
        """
}
