/// The tipster's pages (DESIGN.md, "Pages" of the tip inbox), in the same Mustache and layout as
/// the others.
extension Templates {
    static let tipPages: [String: String] = [
        "tip": tip,
        "tipFields": tipFields,
        "tipReceived": tipReceived,
        "repliesForm": repliesForm,
        "replies": replies,
    ]

    static let tipFooter = "No cookies, no JavaScript, no logs of who you are. Tips are encrypted on arrival for the newsroom alone."

    /// The tipster's form, `multipart/form-data`: a message and any number of files up to the
    /// limits.
    static let tip = """
        {{<layout}}
        {{$title}}Send a tip – Ashlink{{/title}}
        {{$footer}}\(tipFooter){{/footer}}
        {{$content}}
        <h1>Send a tip to the newsroom</h1>
        <p>Sent a tip before? <a href="/tip/replies">Read the newsroom's replies</a> with your codename, and add to your tip there.</p>
        <form method="post" action="/tip" enctype="multipart/form-data">
        {{>tipFields}}
        <button type="submit">Send the tip</button>
        </form>
        <section aria-labelledby="what-happens">
        <h2 id="what-happens">What happens to my tip</h2>
        <ul>
        <li>It is encrypted the moment it arrives, with the newsroom's keys. Only the newsroom's journalists can read it, on their own computers; this server cannot, once you see the next page.</li>
        <li>Nothing about you is kept: no account, no cookie, no address, no time finer than the day.</li>
        <li>The next page gives you a codename: with it, and nothing else, you can come back to read the newsroom's replies and add to your tip.</li>
        <li>Use Tor Browser, set to Safest (shield icon → Settings → Safest). Write only what you are willing to have read, and nothing that names you unless you mean to.</li>
        <li>Up to {{maxMessageText}} of text, and up to {{maxFiles}} files; the whole tip, files included, up to {{maxTipText}}.</li>
        </ul>
        </section>
        {{/content}}
        {{/layout}}
        """

    /// The message and the files, shared by the tip form and the follow-up form. The message is
    /// not `required`, because files alone are a tip; the server refuses a tip with neither. The
    /// metadata warning is plain because a tipster cannot strip it here.
    static let tipFields = """
        <label for="message">Your tip</label>
        <textarea id="message" name="message" rows="12" maxlength="{{maxMessageCharacters}}" autocomplete="off" spellcheck="false"></textarea>
        <label for="file">Files <span class="hint">(optional: documents, spreadsheets, photos, any kind of file; up to {{maxFiles}} files, {{maxTipText}} in all)</span></label>
        <input id="file" name="file" type="file" multiple>
        <p class="hint" id="metadata-warning">Files can carry hidden information about where they came from: a document's author name, a photo's GPS position and the camera that took it. The newsroom will see all of it. Removing it is not done here: the newsroom decides whether to strip it, on its own offline computer. If that information could name you, think before you attach the file.</p>
        """

    /// Sent only once the encrypted tip is on disk. A new conversation's codename is shown here
    /// and nowhere else, ever; the page is `no-store`, so the browser keeps no copy of it.
    static let tipReceived = """
        {{<layout}}
        {{$title}}Tip received – Ashlink{{/title}}
        {{$footer}}\(tipFooter){{/footer}}
        {{$content}}
        <h1>Your tip has arrived</h1>
        <p>It is stored encrypted for the newsroom: only its journalists can read it. Nothing on this server can decrypt it any more, and nothing about you was kept.</p>
        {{#started}}
        <h2>Your codename</h2>
        <p class="codename" id="codename">{{codename}}</p>
        <ul>
        <li>Write it down on paper now, and keep the paper somewhere safe. Do not save it in the browser, on this computer or on your phone.</li>
        <li>It is the only way back to this conversation: with it you can <a href="/tip/replies">read the newsroom's replies</a> and add to your tip.</li>
        <li>Nobody can recover it for you, not even the newsroom: it is stored nowhere, and this page shows it only this once.</li>
        </ul>
        {{/started}}
        {{^started}}
        <p>It was added to your conversation: the newsroom sees it with your earlier tips. Come back with your codename to <a href="/tip/replies">read the newsroom's replies</a>.</p>
        {{/started}}
        {{/content}}
        {{/layout}}
        """

    /// Asks for the codename. Each reply is shown once, so the page says so before it is asked for.
    static let repliesForm = """
        {{<layout}}
        {{$title}}Replies – Ashlink{{/title}}
        {{$footer}}\(tipFooter){{/footer}}
        {{$content}}
        <h1>Read the newsroom's replies</h1>
        <p>Type the codename you were given when you sent your first tip. Each reply is shown once and then deleted, so have somewhere safe to keep it before you continue.</p>
        <form method="post" action="/tip/replies">
        <label for="codename">Your codename</label>
        <input id="codename" name="codename" type="text" required maxlength="{{maxCodenameCharacters}}" autocomplete="off" autocapitalize="none" spellcheck="false">
        <button type="submit">Read replies</button>
        </form>
        {{/content}}
        {{/layout}}
        """

    /// The replies a codename opened, already deleted on the server, then the follow-up form.
    /// An unknown codename gets this very page with no replies. The codename sits in the form's
    /// hidden field so a follow-up needs no second typing (docs/decisions/0017-conversation-pages.md).
    static let replies = """
        {{<layout}}
        {{$title}}Replies – Ashlink{{/title}}
        {{$footer}}\(tipFooter){{/footer}}
        {{$content}}
        <h1>Replies from the newsroom</h1>
        {{#hasReplies}}
        <p class="notice" role="status">These replies are deleted from the server now: this is the only time they are shown. Keep what you need somewhere safe before you leave this page.</p>
        {{#replies}}
        <section class="reply" aria-labelledby="reply-{{number}}">
        <h2 id="reply-{{number}}">Reply {{number}}</h2>
        <div class="reply-text">{{text}}</div>
        </section>
        {{/replies}}
        {{/hasReplies}}
        {{^hasReplies}}
        <p id="no-replies">No replies are waiting.</p>
        <p>Either the newsroom has not replied yet, or you have read every reply already. A reply nobody reads is deleted after {{replyWait}}. A codename typed wrong but made of codename words looks the same: check it against what you wrote down.</p>
        {{/hasReplies}}
        {{#unreadableText}}
        <p class="notice" role="status">{{unreadableText}}</p>
        {{/unreadableText}}
        <h2>Add to your conversation</h2>
        <form method="post" action="/tip" enctype="multipart/form-data">
        <input type="hidden" name="codename" value="{{codename}}">
        {{>tipFields}}
        <button type="submit">Send the follow-up</button>
        </form>
        {{/content}}
        {{/layout}}
        """
}
