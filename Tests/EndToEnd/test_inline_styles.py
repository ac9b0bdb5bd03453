"""One request per page (docs/decisions/0025-inline-styles.md), against the real binary: every page
in every language carries its styles inline, its policy allows exactly those blocks by their SHA-256
(computed here with hashlib), it asks a browser for nothing else, and it fits in 8 KiB. Then
Chromium applies the styles with JavaScript off and on, shows the JavaScript warning only with it
on, and reports no blocked style; a page whose hash is wrong is seen blocked, so the check can fail."""

import base64
import hashlib
from urllib.parse import quote

import pytest

from ashlink_harness.browser import chromium, missing
from ashlink_harness.page_weight import PageParts, secret_flow, tip_flow
from ashlink_harness.paths import REPOSITORY
from ashlink_harness.ports import free_port
from test_inbox_api import Inbox

PAGE_LIMIT = 8192
BROWSER_MISSING = missing()
LANGUAGES = ["en"] + sorted(path.stem for path in (REPOSITORY / "Locales").glob("*.po"))
# Body max-width 44rem at Chromium's 16px, and the brand's accent in the light scheme headless Chromium uses.
STYLED = {("body", "max-width"): "704px", (".brand", "color"): "rgba(90, 45, 130, 1)"}


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def style_sources(policy):
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    return directives["style-src"].split(" ")


def pages(server, prefix):
    def send(method, path, headers, body):
        return server.request(method, path, headers=headers, body=body)

    steps = secret_flow(send, prefix) + tip_flow(send, prefix)
    steps += [("replies form", send("GET", prefix + "/tip/replies", {}, b"")),
              ("not available", send("GET", prefix + "/secret/" + "a" * 52, {}, b""))]
    if not prefix:  # an unknown path under a prefix gets the plain addresses' 404 page (docs/decisions/0019)
        steps.append(("no such page", send("GET", "/wp-admin", {}, b"")))
    return [(name, reply) for name, reply in steps if reply.status != 303]


@pytest.fixture
def inbox_server(start_server, workdir):
    return start_server(config=Inbox(workdir).config(f"127.0.0.1:{free_port()}"))


def test_every_page_in_every_language_is_one_request_its_policy_allows_by_hash(inbox_server):
    policies = {}
    for prefix in [""] + [f"/{code}" for code in LANGUAGES]:
        for name, reply in pages(inbox_server, prefix):
            what = f"{prefix or '/'} {name}"
            assert reply.header("content-type") == "text/html; charset=utf-8", what
            assert len(reply.body) <= PAGE_LIMIT, f"{what}: {len(reply.body)} bytes"
            parts = PageParts.of(reply.text)
            assert len(parts.styles) == 2, what
            assert parts.fetches == [], f"{what} makes a browser fetch {parts.fetches}"
            assert parts.style_attributes == 0 and "<script" not in reply.text, what
            policy = reply.header("content-security-policy")
            assert sorted(style_sources(policy)) == sorted(sha256_source(style) for style in parts.styles), what
            assert "unsafe" not in policy and policy.startswith("default-src 'none'; "), what
            policies.setdefault(prefix, set()).add(policy)
    assert all(len(found) == 1 for found in policies.values()), "every page of a language has the same blocks"
    assert policies[""] == policies["/en"]
    assert len({policy for found in policies.values() for policy in found}) == len(LANGUAGES)


def test_nothing_is_left_to_fetch_beside_the_pages(server):
    for path in ("/static/style.css", "/static/noscript.css"):
        assert server.request("GET", path).status == 404, path


def complaints(browser):
    """What the browser reported since the last look: a style or load the policy blocked, a failed load."""
    return [entry["message"] for entry in browser.console() if entry["level"] == "SEVERE" or entry["source"] == "security"]


@pytest.mark.skipif(BROWSER_MISSING is not None, reason=f"not installed: {BROWSER_MISSING} (make e2e-tests installs them)")
@pytest.mark.parametrize("javascript", [False, True], ids=["javascript off", "javascript on"])
def test_chromium_applies_the_inline_styles_and_the_warning_follows_javascript(server, javascript):
    with chromium(javascript=javascript) as browser:
        for path in ("/", "/de/", "/fa/"):
            browser.open(f"http://{server.listen}{path}")
            for (selector, name), value in STYLED.items():
                assert browser.computed(selector, name) == value, (path, selector, name)
            assert browser.shown(".js-warning") == javascript, path
            assert complaints(browser) == [], path
        # The same check sees a style the policy does not allow: a page whose only hash is wrong.
        wrong = sha256_source("body{max-width:1px}x")
        browser.open("data:text/html," + quote(
            f'<meta http-equiv="Content-Security-Policy" content="style-src {wrong}"><style>body{{max-width:1px}}</style>'))
        assert browser.computed("body", "max-width") == "none"
        assert any("inline style violates the following Content Security Policy directive" in message
                   for message in complaints(browser))
