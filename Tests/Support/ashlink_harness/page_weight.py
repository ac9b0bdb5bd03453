"""What a browser fetches for a page: the page itself and every subresource its HTML references,
and the two flows a person walks through the pages. The end-to-end tests check that a page is one
request (docs/decisions/0025-inline-styles.md); bench/pageflows.py counts requests and bytes per flow.

    parts = PageParts.of(html)            # .styles (each <style>'s text), .fetches (URLs a browser loads)
    steps = secret_flow(send)             # [(step, reply)], send(method, path, headers, body) -> reply
"""

import re
import secrets
import urllib.parse
from html.parser import HTMLParser

# <link rel=…> values that make a browser fetch the target while loading the page.
FETCHING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}
# Attributes whose URL a browser loads: <img>, <script>, <iframe>, <source>, <video>, <object>, <input type=image>.
FETCHING_ATTRIBUTES = ("src", "srcset", "poster", "data")
CSS_FETCHES = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


class PageParts(HTMLParser):
    """The text of each `<style>` element (those inside `<noscript>` too, as a browser with
    JavaScript off applies them), every URL the page makes a browser fetch, and how many elements
    carry a `style` attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles = []
        self.fetches = []
        self.style_attributes = 0
        self._in_style = False

    @classmethod
    def of(cls, html):
        parts = cls()
        parts.feed(html)
        parts.close()
        for style in parts.styles:
            parts.fetches.extend(css_fetches(style))
        return parts

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "link" and attributes.get("href") and FETCHING_RELS & set((attributes.get("rel") or "").lower().split()):
            self.fetches.append(attributes["href"])
        self.fetches.extend(attributes[name] for name in FETCHING_ATTRIBUTES if attributes.get(name))
        if "style" in attributes:
            self.style_attributes += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles[-1] += data


def css_fetches(css):
    """The URLs a stylesheet loads (`url(…)`, `@import`)."""
    return [first or second for first, second in CSS_FETCHES.findall(css)]


def form(fields):
    return {"Content-Type": "application/x-www-form-urlencoded"}, urllib.parse.urlencode(fields).encode()


def multipart(message):
    """The tip form as a browser posts it with no file chosen."""
    boundary = "----ashlink-flow-" + secrets.token_hex(12)
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\n{message}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n").encode()
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}, body


def secret_flow(send, prefix=""):
    """The create form, the create (303), the receipt it leads to, the recipient's confirm page, and
    the reveal. `send(method, path, headers, body)` answers with a reply (.status, .header(), .text)."""
    steps = [("create form", send("GET", prefix + "/", {}, b""))]
    created = send("POST", prefix + "/share", *form({"secret": "meet at the usual place", "ttl": "3600"}))
    assert created.status == 303, created.status
    steps.append(("create", created))
    receipt = send("GET", created.header("location"), {}, b"")
    steps.append(("receipt", receipt))
    secret_path = re.search(r"/secret/[a-z2-7]{52}", receipt.text).group(0)
    steps.append(("confirm", send("GET", prefix + secret_path, {}, b"")))
    steps.append(("reveal", send("POST", prefix + secret_path, *form({}))))
    return steps


def tip_flow(send, prefix=""):
    """The tip form and its post, answered by the received page (with the codename)."""
    return [
        ("tip form", send("GET", prefix + "/tip", {}, b"")),
        ("tip received", send("POST", prefix + "/tip", *multipart("the ledger is in the blue folder"))),
    ]
