"""The pages in other languages, against the real binary: the prefixes and what stays without one,
the Persian create page as w3m reads it, and a German secret and tip in Chromium with JavaScript
off. The expected text is read from the shipped catalogs, so the tests follow their wording; a
language whose catalog is not in Locales/ is not built in, and its test says so and skips."""

import re
import shutil
import subprocess

import pytest

from ashlink_harness.browser import chromium, missing
from ashlink_harness.paths import REPOSITORY
from ashlink_harness.ports import free_port
from test_inbox_api import Inbox

W3M = shutil.which("w3m")
BROWSER_MISSING = missing()


def translation(code, msgid):
    """The msgstr of a one-line msgid (no context) in Locales/CODE.po; the test skips without the file."""
    catalog = REPOSITORY / "Locales" / f"{code}.po"
    if not catalog.exists():
        pytest.skip(f"Locales/{code}.po is not in this build")
    text = catalog.read_text(encoding="utf-8")
    entry = re.search(r'^msgid "' + re.escape(msgid) + r'"\nmsgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', text, re.MULTILINE)
    assert entry, f"{msgid!r} is not in Locales/{code}.po"
    value = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', entry.group(1)))
    return value.replace('\\"', '"').replace("\\\\", "\\")


def language_name(code):
    text = (REPOSITORY / "Locales" / f"{code}.po").read_text(encoding="utf-8")
    return re.search(r'^msgctxt "language name"\nmsgid "English"\nmsgstr "([^"]+)"', text, re.MULTILINE).group(1)


def address(server, path="/"):
    return f"http://{server.listen}{path}"


def test_unknown_prefixes_are_not_found_and_the_api_has_no_language(server):
    for path in ["/xx/", "/xx/tip", "/en/api/v1/status", "/EN/"]:
        assert server.request("GET", path).status == 404, path
    english = server.request("GET", "/en/")
    assert english.status == 200 and '<html lang="en" dir="ltr">' in english.text
    assert english.header("content-security-policy").startswith("default-src 'none'")
    assert english.header("cache-control") == "no-store"
    assert server.request("GET", "/").text == english.text.replace('action="/en/', 'action="/').replace('href="/en/', 'href="/')
    status = server.request("GET", "/api/v1/status")
    assert status.status == 200 and status.header("content-type").startswith("application/json")
    refused = server.request("POST", "/api/v1/share", {"secret": ""})
    assert refused.status == 400 and refused.text == '{"message":"There is nothing to share: the secret is empty."}'


def test_languages_restricts_what_is_offered(start_server):
    server = start_server(config="languages = en\ndefault_language = en\n")
    assert server.request("GET", "/en/").status == 200
    page = server.request("GET", "/").text
    assert "<nav" not in page, "one language needs no menu"
    for catalog in (REPOSITORY / "Locales").glob("*.po"):
        assert server.request("GET", f"/{catalog.stem}/").status == 404, catalog.stem


@pytest.mark.skipif(W3M is None, reason="w3m is not installed (make e2e-tests installs it)")
def test_the_persian_create_page_reads_right_to_left_in_w3m(server):
    heading = translation("fa", "Share a secret")
    html = server.request("GET", "/fa/").text
    assert '<html lang="fa" dir="rtl">' in html
    dump = subprocess.run([W3M, "-dump", "-cols", "100", address(server, "/fa/")], capture_output=True, text=True, check=True).stdout
    assert heading in dump, dump
    assert translation("fa", "Create a secret link") in dump
    assert "Share a secret" not in dump, "the heading is not left in English"


@pytest.mark.skipif(BROWSER_MISSING is not None, reason=f"not installed: {BROWSER_MISSING} (make e2e-tests installs them)")
def test_a_german_secret_and_tip_in_chromium_without_javascript(start_server, workdir):
    inbox = Inbox(workdir)
    server = start_server(config=inbox.config(f"127.0.0.1:{free_port()}"))
    secret = "Der Schlüssel liegt unter der Matte ✓"
    with chromium() as browser:
        browser.open(address(server, "/de/"))
        assert browser.text("h1") == translation("de", "Share a secret")
        browser.type("secret", secret)
        browser.press(translation("de", "Create a secret link"))
        assert browser.text("h1") == translation("de", "Your secret link")
        assert browser.url.startswith(address(server, "/de/private/")), "the redirect keeps the language"
        share_link = browser.value("share-link")
        assert share_link.startswith(address(server, "/secret/")), "the share link leaves the language to its recipient"

        browser.open(share_link)
        browser.follow(language_name("de"))
        assert browser.url == share_link.replace("/secret/", "/de/secret/")
        assert browser.text("h1") == translation("de", "Someone shared a secret with you")
        browser.press(translation("de", "Reveal the secret"))
        assert browser.text("h1") == translation("de", "Your secret")
        assert browser.value("value") == secret

        browser.open(address(server, "/de/tip"))
        browser.type("message", "Die Akten sind im blauen Ordner.")
        browser.press(translation("de", "Send the tip"))
        assert browser.text("h1") == translation("de", "Your tip has arrived")
        assert len(browser.text("#codename").split(" ")) == 7
