"""The tipster's side of a conversation with the real binary: the codename on the received page,
the reply address inside the tip a journalist fetches, a follow-up in the same conversation, the
replies page where an unknown codename looks exactly like an empty mailbox, and a data directory
that never holds the codename or the mailbox id."""

import re
import secrets

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from test_inbox_api import Inbox
from test_tip_page import assert_nowhere_in, spellings

CODENAME = re.compile(r'id="codename">([^<]*)<')


def post_tip(server, message, codename=None):
    """The tip form, or with `codename` the follow-up form (its hidden field first, as browsers send it)."""
    boundary = "----ashlink-e2e-" + secrets.token_hex(12)
    fields = ([("codename", codename)] if codename is not None else []) + [("message", message)]
    body = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
                    for name, value in fields)
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
             f"Content-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n").encode()
    return server.request("POST", "/tip", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)


def read_replies(server, codename):
    return server.request("POST", "/tip/replies", {"codename": codename})


def fetch(inbox, listen, output):
    """`ashlink inbox fetch --identity`: every tip into `output`, decrypted; the ids fetched."""
    output.mkdir()
    result = run_ashlink("inbox", "fetch", "--server", f"http://{listen}", "--token-file", str(inbox.token_file),
                         "--output", str(output), "--identity", str(inbox.identity), timeout=120)
    assert result.returncode == 0, result.stderr
    return sorted(path.name for path in output.iterdir() if path.is_dir())


@pytest.fixture
def conversation_server(start_server, workdir):
    keys = workdir / "keys"
    keys.mkdir()
    inbox = Inbox(keys)
    listen = f"127.0.0.1:{free_port()}"
    return start_server(config=inbox.config(listen)), inbox, listen


def test_a_conversation_keeps_its_reply_address_and_the_disk_keeps_neither_codename_nor_mailbox(conversation_server, workdir):
    server, inbox, listen = conversation_server
    assert 'href="/tip/replies"' in server.request("GET", "/").text
    assert 'href="/tip/replies"' in server.request("GET", "/tip").text

    received = post_tip(server, "the first tip " + secrets.token_hex(4))
    assert received.status == 200, received.text
    [codename] = CODENAME.findall(received.text)
    words = codename.split(" ")
    assert len(words) == 7 and all(re.fullmatch(r"[a-z-]+", word) for word in words), codename
    assert "Write it down on paper" in received.text
    assert_nowhere_in(server.data_dir, spellings(codename))

    [first] = fetch(inbox, listen, workdir / "first")
    address = (workdir / "first" / first / "reply-address.txt").read_text()
    assert address.startswith("ashlink-reply-address-v1\n")
    [mailbox] = re.findall(r"^mailbox: ([a-z2-7]{52})$", address, re.MULTILINE)
    [recipient] = re.findall(r"^recipient: (age1[a-z0-9]+)$", address, re.MULTILINE)
    assert recipient != inbox.recipient

    empty = read_replies(server, codename.upper().replace(" ", "  "))
    assert empty.status == 200 and "No replies are waiting" in empty.text, empty.text
    assert empty.header("cache-control") == "no-store" and empty.header("content-security-policy").startswith("default-src 'none'")
    assert f'<input type="hidden" name="codename" value="{codename}">' in empty.text

    follow_up = post_tip(server, "and one more thing", codename="  " + codename.upper() + "\r\n")
    assert follow_up.status == 200 and "added to your conversation" in follow_up.text, follow_up.text
    assert not CODENAME.search(follow_up.text)
    [second] = fetch(inbox, listen, workdir / "second")
    assert second != first
    assert (workdir / "second" / second / "reply-address.txt").read_text() == address
    assert (workdir / "second" / second / "message.txt").read_text() == "and one more thing"

    malformed = post_tip(server, "lost", codename=" ".join(words[:6]))
    assert malformed.status == 400 and "That is not a codename" in malformed.text and words[0] not in malformed.text
    assert fetch(inbox, listen, workdir / "third") == [], "a malformed codename stores nothing"

    for text in (codename, mailbox):
        assert_nowhere_in(server.data_dir, spellings(text) + spellings(text.upper()))
    assert server.stop() == 0
    assert_nowhere_in(server.data_dir, spellings(codename) + spellings(mailbox))


def test_an_unknown_codename_gets_the_empty_mailbox_page(conversation_server):
    server, _, _ = conversation_server
    known = CODENAME.findall(post_tip(server, "a tip").text)[0]
    # The same words in another order: a codename nobody was given.
    unknown = " ".join(reversed(known.split(" ")))
    empty, never_given = read_replies(server, known), read_replies(server, unknown)
    assert empty.status == never_given.status == 200
    assert never_given.text.replace(unknown, "CODENAME") == empty.text.replace(known, "CODENAME")
    assert {name: value for name, value in never_given.headers.items() if name != "date"} == \
        {name: value for name, value in empty.headers.items() if name != "date"}


def test_without_the_inbox_there_are_no_replies_pages(server):
    assert server.request("GET", "/tip/replies").status == 404
    assert read_replies(server, "a b c d e f g").status == 404
