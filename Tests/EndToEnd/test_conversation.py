"""A whole conversation with the real binary: a tip, its codename, the journalist's fetch and
`ashlink inbox reply`, the tipster reading the reply once (also when many ask at once), then
nothing; the same in Chromium with JavaScript off. The data directory holds the reply only
encrypted, and never the codename."""

import concurrent.futures
import html
import secrets

import pytest

from ashlink_harness.browser import chromium, missing
from ashlink_harness.commands import run_ashlink
from test_conversation_pages import CODENAME, conversation_server, fetch, post_tip, read_replies  # noqa: F401
from test_tip_page import assert_nowhere_in, spellings


def reply(inbox, listen, tip_folder, message):
    result = run_ashlink("inbox", "reply", "--server", f"http://{listen}", "--token-file", str(inbox.token_file),
                         "--tip", str(tip_folder), "--message", message, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"reply stored for {tip_folder}"


def test_tip_fetch_reply_and_the_tipster_reads_it_once(conversation_server, workdir):
    server, inbox, listen = conversation_server
    received = post_tip(server, "who signed the ledger? " + secrets.token_hex(4))
    [codename] = CODENAME.findall(received.text)
    [tip] = fetch(inbox, listen, workdir / "tips")

    answer = "Thank you. Can you say who else saw it? <b>&</b>\nA second line. " + secrets.token_hex(4)
    reply(inbox, listen, workdir / "tips" / tip, answer)
    assert_nowhere_in(server.data_dir, spellings(codename) + [answer.encode(), answer.split("\n")[1].encode()])

    shown = read_replies(server, codename)
    assert shown.status == 200, shown.text
    assert html.escape(answer, quote=False).replace("\n", "") in shown.text.replace("\n", ""), shown.text
    assert "No replies are waiting" not in shown.text
    again = read_replies(server, codename)
    assert again.status == 200 and "No replies are waiting" in again.text, "shown once, then gone"


def test_of_many_tipsters_asking_at_once_exactly_one_gets_the_reply(conversation_server, workdir):
    server, inbox, listen = conversation_server
    [codename] = CODENAME.findall(post_tip(server, "a tip").text)
    [tip] = fetch(inbox, listen, workdir / "tips")
    marker = "only once " + secrets.token_hex(8)
    reply(inbox, listen, workdir / "tips" / tip, marker)

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        pages = list(pool.map(lambda _: read_replies(server, codename), range(12)))
    winners = [page for page in pages if marker in page.text]
    assert len(winners) == 1, [page.status for page in pages]
    for page in pages:
        if page is not winners[0]:
            assert (page.status, "No replies are waiting" in page.text) == (200, True) or page.status == 503, page.text


@pytest.mark.skipif(missing() is not None, reason=f"not installed: {missing()} (Debian packages; make test installs them)")
def test_in_chromium_without_javascript_the_tipster_reads_the_reply_once(conversation_server, workdir):
    server, inbox, listen = conversation_server
    site = f"http://{server.listen}"
    with chromium() as browser:
        browser.open(site + "/tip")
        browser.type("message", "The minutes of the meeting are missing " + secrets.token_hex(4))
        browser.press("Send the tip")
        codename = browser.text("#codename")

        [tip] = fetch(inbox, listen, workdir / "tips")
        answer = "Which meeting? " + secrets.token_hex(4)
        reply(inbox, listen, workdir / "tips" / tip, answer)

        browser.open(site + "/tip/replies")
        browser.type("codename", codename)
        browser.press("Read replies")
        assert browser.text(".reply-text") == answer
        browser.open(site + "/tip/replies")
        browser.type("codename", codename)
        browser.press("Read replies")
        assert browser.text("#no-replies") == "No replies are waiting."
