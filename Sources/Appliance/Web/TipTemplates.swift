/// The tipster's pages (DESIGN.md, "Pages" of the tip inbox), in the same Mustache and layout as
/// the others.
extension Templates {
    static let tipPages: [String: String] = [
        "tip": tip,
        "tipFooter": tipFooter,
        "tipFields": tipFields,
        "codenameLanguage": codenameLanguage,
        "tipReceived": tipReceived,
        "repliesForm": repliesForm,
        "replies": replies,
    ]

    static let tipFooter = """
        {{#t}}No cookies, no JavaScript, no logs of who you are. Tips are encrypted on arrival for the newsroom alone.{{/t}}
        """

    /// Codenames are made of the EFF's English word list in every language, for now.
    static let codenameLanguage = """
        <p class="hint">{{#t}}Codenames are made of English words, whatever the language of this page.{{/t}}</p>
        """

    /// The tipster's form, `multipart/form-data`: a message and any number of files up to the
    /// limits.
    static let tip = """
        {{<layout}}
        {{$title}}{{#t}}Send a tip{{/t}} – Ashlink{{/title}}
        {{$footer}}{{>tipFooter}}{{/footer}}
        {{$content}}
        <h1>{{#t}}Send a tip to the newsroom{{/t}}</h1>
        <p>{{#t}}Sent a tip before?{{/t}} <a href="{{prefix}}/tip/replies">{{#t}}Read the newsroom's replies with your codename, and add to your tip there{{/t}}</a></p>
        <form method="post" action="{{prefix}}/tip" enctype="multipart/form-data">
        {{>tipFields}}
        <button type="submit">{{#t}}Send the tip{{/t}}</button>
        </form>
        <section aria-labelledby="what-happens">
        <h2 id="what-happens">{{#t}}What happens to my tip{{/t}}</h2>
        <ul>
        <li>{{#t}}It is encrypted the moment it arrives, with the newsroom's keys. Only the newsroom's journalists can read it, on their own computers; this server cannot, once you see the next page.{{/t}}</li>
        <li>{{#t}}Nothing about you is kept: no account, no cookie, no address, no time finer than the day.{{/t}}</li>
        <li>{{#t}}The next page gives you a codename: with it, and nothing else, you can come back to read the newsroom's replies and add to your tip.{{/t}}</li>
        <li>{{#t}}Use Tor Browser, set to Safest (shield icon → Settings → Safest). Write only what you are willing to have read, and nothing that names you unless you mean to.{{/t}}</li>
        <li>{{#t}}Up to {maxMessageText} of text, and up to {maxFilesText}; the whole tip, files included, up to {maxTipText}.{{/t}}</li>
        </ul>
        </section>
        {{/content}}
        {{/layout}}
        """

    /// The message and the files, shared by the tip form and the follow-up form. The message is
    /// not `required`, because files alone are a tip; the server refuses a tip with neither. The
    /// metadata warning is plain because a tipster cannot strip it here.
    static let tipFields = """
        <label for="message">{{#t}}Your tip{{/t}}</label>
        <textarea id="message" name="message" rows="12" maxlength="{{maxMessageCharacters}}" autocomplete="off" spellcheck="false" dir="auto"></textarea>
        <label for="file">{{#t}}Files{{/t}} <span class="hint">{{#t}}(optional: documents, spreadsheets, photos, any kind of file; up to {maxFilesText}, {maxTipText} in all){{/t}}</span></label>
        <input id="file" name="file" type="file" multiple>
        <p class="hint" id="metadata-warning">{{#t}}Files can carry hidden information about where they came from: a document's author name, a photo's GPS position and the camera that took it. The newsroom will see all of it. Removing it is not done here: the newsroom decides whether to strip it, on its own offline computer. If that information could name you, think before you attach the file.{{/t}}</p>
        """

    /// Sent only once the encrypted tip is on disk. A new conversation's codename is shown here
    /// and nowhere else, ever; the page is `no-store`, so the browser keeps no copy of it.
    static let tipReceived = """
        {{<layout}}
        {{$title}}{{#t}}Tip received{{/t}} – Ashlink{{/title}}
        {{$footer}}{{>tipFooter}}{{/footer}}
        {{$content}}
        <h1>{{#t}}Your tip has arrived{{/t}}</h1>
        <p>{{#t}}It is stored encrypted for the newsroom: only its journalists can read it. Nothing on this server can decrypt it any more, and nothing about you was kept.{{/t}}</p>
        {{#started}}
        <h2>{{#t}}Your codename{{/t}}</h2>
        <p class="codename" dir="ltr" lang="en" id="codename">{{codename}}</p>
        {{>codenameLanguage}}
        <ul>
        <li>{{#t}}Write it down on paper now, and keep the paper somewhere safe. Do not save it in the browser, on this computer or on your phone.{{/t}}</li>
        <li>{{#t}}It is the only way back to this conversation: with it you can read the newsroom's replies and add to your tip.{{/t}} <a href="{{prefix}}/tip/replies">{{#t}}Read the newsroom's replies{{/t}}</a></li>
        <li>{{#t}}Nobody can recover it for you, not even the newsroom: it is stored nowhere, and this page shows it only this once.{{/t}}</li>
        </ul>
        {{/started}}
        {{^started}}
        <p>{{#t}}It was added to your conversation: the newsroom sees it with your earlier tips. Come back with your codename to read the newsroom's replies.{{/t}} <a href="{{prefix}}/tip/replies">{{#t}}Read the newsroom's replies{{/t}}</a></p>
        {{/started}}
        {{/content}}
        {{/layout}}
        """

    /// Asks for the codename. Each reply is shown once, so the page says so before it is asked for.
    static let repliesForm = """
        {{<layout}}
        {{$title}}{{#t}}Replies{{/t}} – Ashlink{{/title}}
        {{$footer}}{{>tipFooter}}{{/footer}}
        {{$content}}
        <h1>{{#t}}Read the newsroom's replies{{/t}}</h1>
        <p>{{#t}}Type the codename you were given when you sent your first tip. Each reply is shown once and then deleted, so have somewhere safe to keep it before you continue.{{/t}}</p>
        <form method="post" action="{{prefix}}/tip/replies">
        <label for="codename">{{#t}}Your codename{{/t}}</label>
        <input id="codename" name="codename" type="text" required maxlength="{{maxCodenameCharacters}}" autocomplete="off" autocapitalize="none" spellcheck="false" dir="ltr" lang="en">
        {{>codenameLanguage}}
        <button type="submit">{{#t}}Read replies{{/t}}</button>
        </form>
        {{/content}}
        {{/layout}}
        """

    /// The replies a codename opened, already deleted on the server, then the follow-up form.
    /// An unknown codename gets this very page with no replies. The codename sits in the form's
    /// hidden field so a follow-up needs no second typing (docs/decisions/0017-conversation-pages.md).
    static let replies = """
        {{<layout}}
        {{$title}}{{#t}}Replies{{/t}} – Ashlink{{/title}}
        {{$footer}}{{>tipFooter}}{{/footer}}
        {{$content}}
        <h1>{{#t}}Replies from the newsroom{{/t}}</h1>
        {{#hasReplies}}
        <p class="notice" role="status">{{#t}}These replies are deleted from the server now: this is the only time they are shown. Keep what you need somewhere safe before you leave this page.{{/t}}</p>
        {{#replies}}
        <section class="reply" aria-labelledby="reply-{{number}}">
        <h2 id="reply-{{number}}">{{#t}}Reply {number}{{/t}}</h2>
        <div class="reply-text" dir="auto">{{text}}</div>
        </section>
        {{/replies}}
        {{/hasReplies}}
        {{^hasReplies}}
        <p id="no-replies">{{#t}}No replies are waiting.{{/t}}</p>
        <p>{{#t}}Either the newsroom has not replied yet, or you have read every reply already. A reply nobody reads is deleted after {replyWait}. A codename typed wrong but made of codename words looks the same: check it against what you wrote down.{{/t}}</p>
        {{/hasReplies}}
        {{#unreadableText}}
        <p class="notice" role="status">{{unreadableText}}</p>
        {{/unreadableText}}
        <h2>{{#t}}Add to your conversation{{/t}}</h2>
        <form method="post" action="{{prefix}}/tip" enctype="multipart/form-data">
        <input type="hidden" name="codename" value="{{codename}}">
        {{>tipFields}}
        <button type="submit">{{#t}}Send the follow-up{{/t}}</button>
        </form>
        {{/content}}
        {{/layout}}
        """
}
