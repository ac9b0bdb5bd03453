import Translation

/// The only styles the pages use, inline in each page's head and allowed by their SHA-256 in the
/// page's Content-Security-Policy (``PageStyle``, docs/decisions/0025-inline-styles.md): a page
/// costs one request. Logical properties only (`inline-start`, not `left`), so a right-to-left
/// page mirrors by itself.
enum Stylesheet {
    /// A language's one block: the rules, then the JavaScript warning in that language. The same
    /// bytes on every page of the language, so its hash is computed once at start.
    static func block(in catalog: Catalog) -> String {
        minifiedRules + ".js-warning::before{content:\(cssString(catalog.text(javaScriptWarning)))}"
    }

    static let javaScriptWarning = Message(
        "JavaScript is on. Set Tor Browser to Safest (shield icon → Settings → Safest) before you share anything.")

    /// A CSS string with everything but letters, digits, spaces and plain punctuation escaped,
    /// so no translation can end the string or the rule.
    static func cssString(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "<", ">", "{", "}", ";": quoted += "\\\(String(scalar.value, radix: 16)) "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: quoted += "\\\(String(scalar.value, radix: 16)) "
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// The rules as written below, without what a browser does not need: each page carries them.
    static let minifiedRules = minified(rules)

    /// Drops line breaks and the spaces beside `{`, `}`, `;`, `,` and after `:`, and each
    /// block's last `;`. Only for rules written as below: no space in them sits after a colon of a
    /// selector, and none is inside a string.
    static func minified(_ css: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in css {
            if character.isWhitespace {
                pendingSpace = !(out.last.map { "{};,:".contains($0) } ?? true)
                continue
            }
            if pendingSpace, !"{};,".contains(character) { out.append(" ") }
            pendingSpace = false
            if character == "}", out.last == ";" { out.removeLast() }
            out.append(character)
        }
        return out
    }

    private static let rules = """
        :root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfb; --muted: #555; --accent: #5a2d82; --danger: #a4161a; --field: #fff; --border: #767676; }
        @media (prefers-color-scheme: dark) { :root { --fg: #ececec; --bg: #161616; --muted: #b5b5b5; --accent: #c9a3f0; --danger: #ff8a80; --field: #222; --border: #9a9a9a; } }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 44rem; padding: 1rem; font: 1.05rem/1.55 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        header { border-bottom: 1px solid var(--border); padding-bottom: .5rem; }
        .brand { font-weight: 700; font-size: 1.3rem; color: var(--accent); text-decoration: none; margin-inline-end: .5rem; }
        .tagline, .hint, footer { color: var(--muted); }
        footer { font-size: .9rem; border-top: 1px solid var(--border); margin-top: 2rem; }
        h1 { font-size: 1.6rem; margin: 1.2rem 0 .6rem; }
        label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
        textarea, input, select { width: 100%; font: inherit; color: var(--fg); background: var(--field); border: 1px solid var(--border); border-radius: 4px; padding: .5rem; }
        textarea.link, input.link, textarea.secret { font-family: ui-monospace, monospace; }
        button { margin-top: 1rem; font: inherit; font-weight: 600; padding: .6rem 1.2rem; border: 0; border-radius: 4px; background: var(--accent); color: var(--bg); cursor: pointer; }
        button.danger { background: var(--danger); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        a { color: var(--accent); }
        .notice { border-inline-start: 4px solid var(--danger); padding: .4rem .8rem; }
        details { margin-top: 1.5rem; }
        .codename { font-family: ui-monospace, monospace; font-size: 1.35rem; font-weight: 700; padding: .6rem .9rem; border: 2px dashed var(--accent); word-spacing: .3rem; }
        .reply { border-inline-start: 4px solid var(--accent); padding: .1rem .9rem; margin: 1rem 0; }
        .reply-text { white-space: pre-wrap; overflow-wrap: anywhere; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .js-warning { display: block; margin: 1rem 0; padding: .6rem .9rem; border: 2px solid var(--danger); color: var(--danger); font-weight: 700; }
        nav.languages ul { list-style: none; margin: .4rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
        nav.languages a[aria-current] { font-weight: 700; color: var(--fg); text-decoration: none; }
        """

    /// The block inside `<noscript>`: only a browser with JavaScript off applies it, and it hides
    /// the warning. The warning text lives in generated content, so a text browser, which applies
    /// no styles, shows nothing either.
    static let noscript = ".js-warning{display:none}"
}
