"""The pages in a real browser with JavaScript off, as Tor Browser at Safest shows them: Debian's
Chromium, headless, driven by WebDriver's clicks and keystrokes against the real binary. First that
JavaScript is off indeed (a browser with it on is seen to differ), then a secret link from the form
to its one reading, a tip with a file from the form to the journalist's age and tar, and a codename
from the received page to the replies page and its follow-up form."""

import secrets
import shutil
import subprocess
from urllib.parse import quote

import pytest

from ashlink_harness.browser import chromium, missing
from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from test_inbox_api import Inbox

MISSING = missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"not installed: {MISSING} (Debian packages; make test installs them)")

AGE = shutil.which("age")
TAR = shutil.which("tar")

# A page that renames itself if its script runs.
SCRIPTED_PAGE = "data:text/html," + quote("<title>script did not run</title><script>document.title = 'script ran'</script>")


def address(server, path="/"):
    return f"http://{server.listen}{path}"


@pytest.fixture
def browser():
    with chromium() as tab:
        yield tab


def test_javascript_is_off_by_the_pages_own_warning_and_by_a_script(server, browser):
    # The check first shown to tell: with JavaScript on, the warning is on screen and the script runs.
    with chromium(javascript=True) as scripting:
        scripting.open(address(server))
        assert scripting.shown(".js-warning"), "the page's style shows the warning; only the one in <noscript> hides it"
        scripting.open(SCRIPTED_PAGE)
        assert scripting.title == "script ran"

    browser.open(address(server))
    assert browser.text("h1") == "Share a secret"
    assert not browser.shown(".js-warning"), "the style inside <noscript> applies: JavaScript is off"
    browser.open(SCRIPTED_PAGE)
    assert browser.title == "script did not run"


def test_a_secret_link_from_the_form_to_its_one_reading(server, browser):
    secret = "the source is in <room 5> & trusted ✓\nsecond line " + secrets.token_hex(8)
    browser.open(address(server))
    browser.type("secret", secret)
    browser.press("Create a secret link")
    assert browser.text("h1") == "Your secret link"
    receipt = browser.url
    share_link = browser.value("share-link")
    assert share_link.startswith(address(server, "/secret/"))

    browser.open(share_link)
    assert browser.text("h1") == "Someone shared a secret with you"
    assert secret not in browser.text("main"), "opening the link reveals nothing"
    browser.press("Reveal the secret")
    assert browser.text("h1") == "Your secret"
    assert browser.value("value") == secret

    browser.open(share_link)
    assert browser.text("h1") == "This secret is not available"
    browser.open(receipt)
    assert browser.text("dl.facts dd").startswith("Read, and deleted")


@pytest.mark.skipif(AGE is None or TAR is None, reason="Debian's age and tar (make test installs them)")
def test_a_tip_with_a_file_from_the_form_to_the_journalists_age_and_tar(start_server, browser, workdir):
    inbox = Inbox(workdir)
    inbox_listen = f"127.0.0.1:{free_port()}"
    server = start_server(config=inbox.config(inbox_listen))
    document = workdir / "ledger scan.pdf"
    document.write_bytes(b"%PDF-1.7\n" + secrets.token_bytes(256 * 1024))
    message = "The ledger is attached ✓\npage 4 is the one " + secrets.token_hex(8)

    browser.open(address(server, "/tip"))
    browser.type("message", message)
    browser.choose_file("file", document)
    browser.press("Send the tip")
    assert browser.text("h1") == "Your tip has arrived"

    fetched, unpacked = workdir / "fetched", workdir / "unpacked"
    fetched.mkdir()
    unpacked.mkdir()
    fetch = run_ashlink("inbox", "fetch", "--server", f"http://{inbox_listen}", "--token-file", str(inbox.token_file),
                        "--output", str(fetched))
    assert fetch.returncode == 0, fetch.stderr
    [age_file] = fetched.glob("*.age")
    plaintext = subprocess.run([AGE, "-d", "-i", str(inbox.identity), str(age_file)], capture_output=True, check=True).stdout
    subprocess.run([TAR, "-x", "-C", str(unpacked)], input=plaintext, check=True)
    assert sorted(str(path.relative_to(unpacked)) for path in unpacked.rglob("*") if path.is_file()) == [
        "attachments/ledger scan.pdf", "message.txt", "reply-address.txt"]
    # A browser sends a textarea's line breaks as CRLF (HTML's form submission), and the tip keeps them.
    assert (unpacked / "message.txt").read_bytes() == message.replace("\n", "\r\n").encode()
    assert (unpacked / "attachments" / "ledger scan.pdf").read_bytes() == document.read_bytes()


def test_a_codename_from_the_received_page_opens_the_replies_and_the_follow_up_form(start_server, browser, workdir):
    inbox = Inbox(workdir)
    server = start_server(config=inbox.config(f"127.0.0.1:{free_port()}"))
    browser.open(address(server, "/tip"))
    browser.type("message", "The ledger is in the blue folder " + secrets.token_hex(8))
    browser.press("Send the tip")
    assert browser.text("h1") == "Your tip has arrived"
    codename = browser.text("#codename")
    assert len(codename.split(" ")) == 7, codename

    browser.open(address(server, "/tip/replies"))
    browser.type("codename", codename.upper())
    browser.press("Read replies")
    assert browser.text("h1") == "Replies from the newsroom"
    assert browser.text("#no-replies") == "No replies are waiting."
    browser.type("message", "One more thing: the ledger has a second volume.")
    browser.press("Send the follow-up")
    assert browser.text("h1") == "Your tip has arrived"
    assert "It was added to your conversation" in browser.text("main")
