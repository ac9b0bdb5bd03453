/// The page templates, in Mustache: `{{name}}` is HTML-escaped, and no template uses the
/// unescaped forms, so user text can never become markup. Compiled into the binary, so the
/// pages need no files at run time and nothing outside the process can change them.
enum Templates {
    static let all: [String: String] = [
        "layout": layout,
        "create": create,
        "receipt": receipt,
        "confirm": confirm,
        "revealed": revealed,
        "message": message,
    ].merging(tipPages) { _, _ in preconditionFailure("a template defined twice") }

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{$title}}Ashlink{{/title}}</title>
        <link rel="stylesheet" href="/static/style.css">
        <noscript><link rel="stylesheet" href="/static/noscript.css"></noscript>
        </head>
        <body>
        <header><a class="brand" href="/">Ashlink</a> <span class="tagline">one-time secrets</span></header>
        <p class="js-warning" role="alert"></p>
        <main>
        {{$content}}{{/content}}
        </main>
        <footer><p>{{$footer}}No cookies, no JavaScript, no logs of who you are. Secrets are encrypted with a key that only the link carries.{{/footer}}</p></footer>
        </body>
        </html>
        """

    static let create = """
        {{<layout}}
        {{$content}}
        <h1>Share a secret</h1>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <form method="post" action="/share">
        <label for="secret">Your secret or tip</label>
        <textarea id="secret" name="secret" rows="8" required maxlength="{{maxSecretCharacters}}" autocomplete="off" spellcheck="false"></textarea>
        <label for="passphrase">Passphrase <span class="hint">(optional: the recipient must type it too)</span></label>
        <input id="passphrase" name="passphrase" type="password" autocomplete="new-password" maxlength="{{maxPassphraseCharacters}}">
        <label for="ttl">Delete it, even if unread, after</label>
        <select id="ttl" name="ttl">
        {{#ttlChoices}}<option value="{{seconds}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/ttlChoices}}</select>
        <button type="submit">Create a secret link</button>
        </form>
        <details>
        <summary>Need a password instead?</summary>
        <form method="post" action="/generate">
        <p>Ashlink makes a random 12-character password and a one-time link to it.</p>
        <label for="generate-ttl">Delete it, even if unread, after</label>
        <select id="generate-ttl" name="ttl">
        {{#ttlChoices}}<option value="{{seconds}}"{{#selected}} selected{{/selected}}>{{label}}</option>
        {{/ttlChoices}}</select>
        <button type="submit">Generate a password</button>
        </form>
        </details>
        {{#tipInbox}}
        <p class="tip-link">Want to tell the newsroom something, without a link to pass on? <a href="/tip">Send a tip to the newsroom</a>.</p>
        <p class="tip-link">Sent a tip before? <a href="/tip/replies">Read the newsroom's replies</a> with your codename.</p>
        {{/tipInbox}}
        <section aria-labelledby="what-happens">
        <h2 id="what-happens">What happens to my secret</h2>
        <ul>
        <li>It is encrypted on arrival with a key that exists only inside the link you get. The server keeps the ciphertext and forgets the key.</li>
        <li>The recipient opens the link, confirms, and reads it once. Then it is deleted. Nobody, not even you, can read it again.</li>
        <li>If nobody opens it in time, it is deleted unread.</li>
        <li>You also get a private receipt link: it tells you whether the secret has been read, and lets you delete it early.</li>
        <li>No account, no cookie, no log of your address. Over Tor, the server never learns who you are.</li>
        </ul>
        </section>
        {{/content}}
        {{/layout}}
        """

    static let receipt = """
        {{<layout}}
        {{$title}}Receipt – Ashlink{{/title}}
        {{$content}}
        <h1>Your secret link</h1>
        {{#unread}}
        <p>Send this link to the recipient. It works once.</p>
        <label for="share-link">Share link</label>
        <textarea id="share-link" class="link" rows="3" readonly>{{shareLink}}</textarea>
        {{#generatedPassword}}
        <label for="generated">The password you generated</label>
        <input id="generated" class="link" type="text" readonly value="{{generatedPassword}}">
        {{/generatedPassword}}
        {{#passphraseRequired}}<p>The recipient also needs the passphrase you chose. Send it another way.</p>{{/passphraseRequired}}
        {{/unread}}
        <dl class="facts">
        <dt>State</dt><dd>{{stateText}}</dd>
        <dt>{{expiryLabel}}</dt><dd>{{expiryText}}</dd>
        </dl>
        <p>Keep this page's address private: it is your receipt. <a href="{{receiptPath}}">Reload it</a> later to see whether the secret has been read.</p>
        {{#unread}}
        <form method="post" action="{{receiptPath}}/burn">
        <button type="submit" class="danger">Delete the secret now, unread</button>
        </form>
        {{/unread}}
        <p><a href="/">Share another secret</a></p>
        {{/content}}
        {{/layout}}
        """

    static let confirm = """
        {{<layout}}
        {{$title}}A secret for you – Ashlink{{/title}}
        {{$content}}
        <h1>Someone shared a secret with you</h1>
        <p>You can read it <strong>once</strong>. After that it is deleted for good, so have somewhere safe to keep it before you continue.</p>
        {{#notice}}<p class="notice" role="alert">{{notice}}</p>{{/notice}}
        <form method="post" action="{{secretPath}}">
        {{#passphraseRequired}}
        <label for="passphrase">Passphrase</label>
        <input id="passphrase" name="passphrase" type="password" autocomplete="off" required maxlength="{{maxPassphraseCharacters}}">
        {{/passphraseRequired}}
        <button type="submit">Reveal the secret</button>
        </form>
        {{/content}}
        {{/layout}}
        """

    static let revealed = """
        {{<layout}}
        {{$title}}Your secret – Ashlink{{/title}}
        {{$content}}
        <h1>Your secret</h1>
        <label for="value">The secret (shown only this once)</label>
        <textarea id="value" class="secret" rows="10" readonly>{{value}}</textarea>
        <p>It has been deleted from the server. Reloading this page will not show it again.</p>
        {{/content}}
        {{/layout}}
        """

    static let message = """
        {{<layout}}
        {{$title}}{{heading}} – Ashlink{{/title}}
        {{$content}}
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <p><a href="/">Go to the start page</a></p>
        {{/content}}
        {{/layout}}
        """
}
