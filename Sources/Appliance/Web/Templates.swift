/// The page templates, in Mustache: `{{name}}` is HTML-escaped, so user text can never become
/// markup. The unescaped form appears only in the layout's head, for the compiled-in style blocks
/// that ``PageRenderer`` puts there (``PageStyle``). Compiled into the binary, so the
/// pages need no files at run time and nothing outside the process can change them.
///
/// Every sentence is written in English between `{{#t}}` and `{{/t}}`: at start each language's
/// copy of the templates is made with these replaced by the catalog's text, escaped, its
/// `{name}` placeholders becoming `{{name}}` (``LocalizedTemplates``). `scripts/extract-messages`
/// lists them in Locales/ashlink.pot. Links are never inside a sentence: a translation may need
/// another word order.
enum Templates {
    static let all: [String: String] = [
        "layout": layout,
        "languageMenu": languageMenu,
        "create": create,
        "receipt": receipt,
        "confirm": confirm,
        "revealed": revealed,
        "message": message,
    ].merging(tipPages) { _, _ in preconditionFailure("a template defined twice") }

    static let layout = """
        <!doctype html>
        <html lang="{{language.code}}" dir="{{language.direction}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{$title}}Ashlink{{/title}}</title>
        <style>{{{style}}}</style>
        <noscript><style>{{{noscriptStyle}}}</style></noscript>
        </head>
        <body>
        <header><a class="brand" href="{{prefix}}/">Ashlink</a> <span class="tagline">{{#t}}one-time secrets{{/t}}</span>
        {{>languageMenu}}
        </header>
        <p class="js-warning" role="alert"></p>
        <main>
        {{$content}}{{/content}}
        </main>
        <footer><p>{{$footer}}{{#t}}No cookies, no JavaScript, no logs of who you are. Secrets are encrypted with a key that only the link carries.{{/t}}{{/footer}}</p></footer>
        </body>
        </html>
        """

    /// Plain links to this very page in each offered language, each named in itself.
    static let languageMenu = """
        {{#hasLanguageMenu}}<nav class="languages" aria-label="{{#t}}Languages{{/t}}"><ul>
        {{#languageMenu}}<li><a href="{{href}}" lang="{{code}}" hreflang="{{code}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a></li>
        {{/languageMenu}}</ul></nav>{{/hasLanguageMenu}}
        """

    static let create = """
        {{<layout}}
        {{$content}}
        <h1>{{#t}}Share a secret{{/t}}</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <form method="post" action="{{prefix}}/share">
        <label for="secret">{{#t}}Your secret or tip{{/t}}</label>
        <textarea id="secret" name="secret" rows="8" required maxlength="{{maxSecretCharacters}}" autocomplete="off" spellcheck="false" dir="auto"></textarea>
        <label for="passphrase">{{#t}}Passphrase{{/t}} <span class="hint">{{#t}}(optional: the recipient must type it too){{/t}}</span></label>
        <input id="passphrase" name="passphrase" type="password" autocomplete="new-password" maxlength="{{maxPassphraseCharacters}}">
        <label for="ttl">{{#t}}Delete it, even if unread, after{{/t}}</label>
        <select id="ttl" name="ttl">
        {{#ttlChoices}}<option value="{{seconds}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/ttlChoices}}</select>
        <button type="submit">{{#t}}Create a secret link{{/t}}</button>
        </form>
        <details>
        <summary>{{#t}}Need a password instead?{{/t}}</summary>
        <form method="post" action="{{prefix}}/generate">
        <p>{{#t}}Ashlink makes a random 12-character password and a one-time link to it.{{/t}}</p>
        <label for="generate-ttl">{{#t}}Delete it, even if unread, after{{/t}}</label>
        <select id="generate-ttl" name="ttl">
        {{#ttlChoices}}<option value="{{seconds}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/ttlChoices}}</select>
        <button type="submit">{{#t}}Generate a password{{/t}}</button>
        </form>
        </details>
        {{#tipInbox}}
        <p class="tip-link">{{#t}}Want to tell the newsroom something, without a link to pass on?{{/t}} <a href="{{prefix}}/tip">{{#t}}Send a tip to the newsroom{{/t}}</a></p>
        <p class="tip-link">{{#t}}Sent a tip before?{{/t}} <a href="{{prefix}}/tip/replies">{{#t}}Read the newsroom's replies with your codename{{/t}}</a></p>
        {{/tipInbox}}
        <section aria-labelledby="what-happens">
        <h2 id="what-happens">{{#t}}What happens to my secret{{/t}}</h2>
        <ul>
        <li>{{#t}}It is encrypted on arrival with a key that exists only inside the link you get. The server keeps the ciphertext and forgets the key.{{/t}}</li>
        <li>{{#t}}The recipient opens the link, confirms, and reads it once. Then it is deleted. Nobody, not even you, can read it again.{{/t}}</li>
        <li>{{#t}}If nobody opens it in time, it is deleted unread.{{/t}}</li>
        <li>{{#t}}You also get a private receipt link: it tells you whether the secret has been read, and lets you delete it early.{{/t}}</li>
        <li>{{#t}}No account, no cookie, no log of your address. Over Tor, the server never learns who you are.{{/t}}</li>
        </ul>
        </section>
        {{/content}}
        {{/layout}}
        """

    static let receipt = """
        {{<layout}}
        {{$title}}{{#t}}Receipt{{/t}} – Ashlink{{/title}}
        {{$content}}
        <h1>{{#t}}Your secret link{{/t}}</h1>
        {{#unread}}
        <p>{{#t}}Send this link to the recipient. It works once.{{/t}}</p>
        <label for="share-link">{{#t}}Share link{{/t}}</label>
        <textarea id="share-link" class="link" rows="3" readonly dir="ltr">{{shareLink}}</textarea>
        {{#generatedPassword}}
        <label for="generated">{{#t}}The password you generated{{/t}}</label>
        <input id="generated" class="link" type="text" readonly value="{{generatedPassword}}" dir="ltr">
        {{/generatedPassword}}
        {{#passphraseRequired}}<p>{{#t}}The recipient also needs the passphrase you chose. Send it another way.{{/t}}</p>{{/passphraseRequired}}
        {{/unread}}
        <dl class="facts">
        <dt>{{#t}}State{{/t}}</dt><dd>{{stateText}}</dd>
        <dt>{{expiryLabel}}</dt><dd>{{expiryText}}</dd>
        </dl>
        <p>{{#t}}Keep this page's address private: it is your receipt.{{/t}} <a href="{{prefix}}{{receiptPath}}">{{#t}}Reload it later to see whether the secret has been read.{{/t}}</a></p>
        {{#unread}}
        <form method="post" action="{{prefix}}{{receiptPath}}/burn">
        <button type="submit" class="danger">{{#t}}Delete the secret now, unread{{/t}}</button>
        </form>
        {{/unread}}
        <p><a href="{{prefix}}/">{{#t}}Share another secret{{/t}}</a></p>
        {{/content}}
        {{/layout}}
        """

    static let confirm = """
        {{<layout}}
        {{$title}}{{#t}}A secret for you{{/t}} – Ashlink{{/title}}
        {{$content}}
        <h1>{{#t}}Someone shared a secret with you{{/t}}</h1>
        <p>{{#t}}You can read it once. After that it is deleted for good, so have somewhere safe to keep it before you continue.{{/t}}</p>
        {{#notice}}<p class="notice" role="alert">{{notice}}</p>{{/notice}}
        <form method="post" action="{{prefix}}{{secretPath}}">
        {{#passphraseRequired}}
        <label for="passphrase">{{#t}}Passphrase{{/t}}</label>
        <input id="passphrase" name="passphrase" type="password" autocomplete="off" required maxlength="{{maxPassphraseCharacters}}">
        {{/passphraseRequired}}
        <button type="submit">{{#t}}Reveal the secret{{/t}}</button>
        </form>
        {{/content}}
        {{/layout}}
        """

    static let revealed = """
        {{<layout}}
        {{$title}}{{#t}}Your secret{{/t}} – Ashlink{{/title}}
        {{$content}}
        <h1>{{#t}}Your secret{{/t}}</h1>
        <label for="value">{{#t}}The secret (shown only this once){{/t}}</label>
        <textarea id="value" class="secret" rows="10" readonly dir="auto">{{value}}</textarea>
        <p>{{#t}}It has been deleted from the server. Reloading this page will not show it again.{{/t}}</p>
        {{/content}}
        {{/layout}}
        """

    static let message = """
        {{<layout}}
        {{$title}}{{heading}} – Ashlink{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="{{prefix}}/">{{#t}}Go to the start page{{/t}}</a></p>
        {{/content}}
        {{/layout}}
        """
}
