"""`ashlink inbox reply` against the real server: the reply is encrypted on the journalist's side
to the recipient in the tip's reply-address.txt, stored under its mailbox as an age file that
Debian's `age -d` opens with the matching identity, and refused in words when it cannot be.
The reply address here is made with age-keygen and random bytes: the server cannot tell it from
one a codename derived, which is the point."""

import base64
import secrets
import shutil
import subprocess

import pytest

from ashlink_harness import http_client
from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from ashlink_harness.server import open_vault

pytestmark = pytest.mark.skipif(shutil.which("age-keygen") is None, reason="Debian's age is not installed (make test installs it)")

TIP_ID = "mfrggzdfmztwq2lknnwg23tpoa"


class Newsroom:
    def __init__(self, server, listen, token_file, workdir):
        self.server, self.token_file, self.workdir = server, token_file, workdir
        self.address = listen if listen.startswith("unix:") else f"http://{listen}"

    def reply(self, tip, *message, token_file=None):
        return run_ashlink("inbox", "reply", "--server", self.address, "--token-file", str(token_file or self.token_file),
                           "--tip", str(tip), *message, timeout=60)

    def stored_replies(self):
        with open_vault(self.server.data_dir) as vault:
            count = vault.execute("SELECT count(*) FROM reply").fetchone()[0]
            return count, [row[0] for row in vault.execute("SELECT data FROM reply ORDER BY seq")]


@pytest.fixture
def start_newsroom(workdir, start_server):
    """The real server with the inbox on and one journalist's token, its listener at `listen`."""

    def start(listen):
        recipient = run_ashlink("inbox", "keygen", "--output", str(workdir / "newsroom.key")).stdout.strip()
        token_file = workdir / "inbox.token"
        verifier = run_ashlink("inbox", "access-token", "--output", str(token_file)).stdout.strip()
        server = start_server(config=f"inbox_recipients = {recipient}\ninbox_listen = {listen}\ninbox_access = {verifier}\n")
        return Newsroom(server, listen, token_file, workdir)

    return start


@pytest.fixture
def newsroom(start_newsroom):
    return start_newsroom(f"127.0.0.1:{free_port()}")


def decrypted_tip(workdir):
    """A tip's folder as `inbox fetch --identity` leaves it, and the tipster's identity file."""
    identity = workdir / "tipster.key"
    subprocess.run(["age-keygen", "-o", str(identity)], capture_output=True, check=True)
    recipient = subprocess.run(["age-keygen", "-y", str(identity)], capture_output=True, check=True, text=True).stdout.strip()
    mailbox = base64.b32encode(secrets.token_bytes(32)).decode().rstrip("=").lower()
    tip = workdir / "tips" / TIP_ID
    tip.mkdir(parents=True)
    (tip / "message.txt").write_text("the tip\n")
    (tip / "reply-address.txt").write_text(f"ashlink-reply-address-v1\nrecipient: {recipient}\nmailbox: {mailbox}\n")
    return tip, identity


def opened_with_debians_age(identity, reply):
    return subprocess.run(["age", "-d", "-i", str(identity)], input=reply, capture_output=True, check=True).stdout


def test_a_reply_is_stored_as_an_age_file_only_the_tipster_opens(newsroom, workdir):
    tip, identity = decrypted_tip(workdir)
    message = "Thank you. Could you say which office sent the letter?\nÇa peut attendre — the desk\n"
    posted = newsroom.reply(tip, "--message", message)
    assert posted.returncode == 0, posted.stderr
    assert posted.stdout.splitlines() == [f"reply stored for {tip}"]

    message_file = workdir / "second.txt"
    message_file.write_text("And a second question.\n")
    posted = newsroom.reply(f"{tip}/", "--message-file", str(message_file))
    assert posted.returncode == 0, posted.stderr
    assert posted.stdout.splitlines() == [f"reply stored for {tip}"]

    count, replies = newsroom.stored_replies()
    assert count == 2
    assert all(reply.startswith(b"age-encryption.org/v1\n-> X25519 ") for reply in replies)
    assert message.encode() not in b"".join(replies)
    assert [opened_with_debians_age(identity, reply) for reply in replies] == [message.encode(), b"And a second question.\n"]
    newsroom_key = subprocess.run(["age", "-d", "-i", str(workdir / "newsroom.key")], input=replies[0], capture_output=True)
    assert newsroom_key.returncode != 0, "the newsroom's own key does not open a reply"


def test_what_cannot_be_replied_to_is_refused_before_anything_is_sent(newsroom, workdir):
    tip, _ = decrypted_tip(workdir)
    missing = newsroom.reply(workdir / "tips" / "nothing", "--message", "hello")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.splitlines() == [
        f"ashlink: inbox reply: {workdir}/tips/nothing/reply-address.txt: No such file or directory: decrypt the tip first: "
        "ashlink inbox fetch --identity FILE … or ashlink inbox decrypt …, then give its folder DIR/<id>"]
    encrypted = newsroom.reply(f"{tip}.age", "--message", "hello")
    assert encrypted.returncode == 1 and f"{tip}.age is an encrypted tip: decrypt the tip first" in encrypted.stderr

    (tip / "reply-address.txt").write_text("recipient: age1x\n")
    malformed = newsroom.reply(tip, "--message", "hello")
    assert malformed.returncode == 1
    assert malformed.stderr.splitlines() == [
        f"ashlink: inbox reply: {tip}/reply-address.txt: it is not an Ashlink reply address (its first line is not ashlink-reply-address-v1)"]

    both = newsroom.reply(tip, "--message", "a", "--message-file", "b")
    assert both.returncode == 1
    assert both.stderr.splitlines() == ["ashlink: configuration: give the reply with exactly one of --message TEXT and --message-file FILE"]
    assert newsroom.stored_replies() == (0, [])


def test_the_servers_refusals_come_back_in_words(newsroom, workdir):
    tip, _ = decrypted_tip(workdir)
    other = workdir / "other.token"
    assert run_ashlink("inbox", "access-token", "--output", str(other)).returncode == 0
    wrong = newsroom.reply(tip, "--message", "hello", token_file=other)
    assert wrong.returncode == 1 and wrong.stdout == ""
    assert wrong.stderr.splitlines() == ["ashlink: inbox reply: the inbox refused the access token"]

    token = newsroom.token_file.read_text().strip()
    mailbox = (tip / "reply-address.txt").read_text().split("mailbox: ")[1].strip()
    plaintext = http_client.request(newsroom.address.removeprefix("http://"), "POST", "/inbox/v1/replies",
                                    headers={"Authorization": f"Bearer {token}", "Ashlink-Mailbox": mailbox,
                                             "Content-Type": "application/octet-stream"},
                                    body=b"a reply in plaintext\n")
    assert plaintext.status == 400
    assert "not a valid age file" in plaintext.json()["error"]
    assert newsroom.stored_replies() == (0, [])


def test_the_public_listener_has_no_replies_route(newsroom, workdir):
    token = newsroom.token_file.read_text().strip()
    reply = newsroom.server.request("POST", "/inbox/v1/replies", headers={"Authorization": f"Bearer {token}"}, body=b"x")
    assert reply.status == 404


def test_a_reply_goes_through_a_unix_socket_listener(start_newsroom, workdir):
    newsroom = start_newsroom(f"unix:{workdir}/inbox.sock")
    tip, identity = decrypted_tip(workdir)
    posted = newsroom.reply(tip, "--message", "over the local socket")
    assert posted.returncode == 0, posted.stderr
    count, replies = newsroom.stored_replies()
    assert count == 1 and opened_with_debians_age(identity, replies[0]) == b"over the local socket"
