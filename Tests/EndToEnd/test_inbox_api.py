"""The journalists' inbox API on its own listener, with the real binary: bearer tokens, no inbox
path on the public listener, both listeners on Unix sockets, confinement with two listeners,
start-up refusals, and tips posted through the public form then listed, fetched and
acknowledged."""

import datetime
import io
import os
import secrets
import shutil
import socket
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest

from ashlink_harness import http_client
from ashlink_harness.commands import run_ashlink
from ashlink_harness.paths import BINARY
from ashlink_harness.ports import free_port
from ashlink_harness.procfs import proc_status
from ashlink_harness.server import DROP_ROOT

TIPS = "/inbox/v1/tips"
AGE = shutil.which("age")


class Inbox:
    """A newsroom's keys made with the binary's own commands, and the configuration lines they give."""

    def __init__(self, folder):
        self.identity = folder / "newsroom.key"
        self.token_file = folder / "journalist.token"
        made = run_ashlink("inbox", "keygen", "--output", str(self.identity))
        assert made.returncode == 0, made.stderr
        self.recipient = made.stdout.strip()
        made = run_ashlink("inbox", "access-token", "--output", str(self.token_file))
        assert made.returncode == 0, made.stderr
        self.verifier = made.stdout.strip()
        self.token = self.token_file.read_text().strip()

    def config(self, listen):
        return f"inbox_recipients = {self.recipient}\ninbox_listen = {listen}\ninbox_access = {self.verifier}\n"


@pytest.fixture
def inbox(workdir):
    keys = workdir / "keys"
    keys.mkdir()
    return Inbox(keys)


@pytest.fixture
def start_inbox_server(start_server, inbox):
    """A server with the inbox on; the journalists' listener on a free port unless told otherwise."""

    def start(inbox_listen=None, **kwargs):
        inbox_listen = inbox_listen or f"127.0.0.1:{free_port()}"
        server = start_server(config=inbox.config(inbox_listen), **kwargs)
        server.inbox_listen = inbox_listen
        return server

    return start


def ask(address, method, path, token=None, authorization=None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if authorization is not None:
        headers["Authorization"] = authorization
    return http_client.request(address, method, path, headers=headers)


def assert_refused(reply):
    assert reply.status == 401
    assert reply.header("www-authenticate") == "Bearer"
    assert reply.header("content-type").startswith("application/json")
    assert reply.header("cache-control") == "no-store"
    assert set(reply.json()) == {"error"}


def test_tokens_none_wrong_and_right(start_inbox_server, inbox, workdir):
    server = start_inbox_server()
    other = workdir / "other.token"
    assert run_ashlink("inbox", "access-token", "--output", str(other)).returncode == 0
    refusals = [
        ask(server.inbox_listen, "GET", TIPS),
        ask(server.inbox_listen, "GET", TIPS, authorization="Bearer"),
        ask(server.inbox_listen, "GET", TIPS, authorization=f"Basic {inbox.token}"),
        ask(server.inbox_listen, "GET", TIPS, token=other.read_text().strip()),
        ask(server.inbox_listen, "GET", TIPS, token=inbox.verifier),
        ask(server.inbox_listen, "GET", TIPS, token=inbox.token[:-1]),
        ask(server.inbox_listen, "DELETE", f"{TIPS}/{'a' * 26}"),
        ask(server.inbox_listen, "GET", "/nothing/here"),
    ]
    for reply in refusals:
        assert_refused(reply)
    assert len({reply.body for reply in refusals}) == 1, "no answer tells which part was wrong"

    right = ask(server.inbox_listen, "GET", TIPS, token=inbox.token)
    assert right.status == 200, right.text
    assert right.header("content-type").startswith("application/json")
    assert right.header("cache-control") == "no-store"
    assert right.json() == {"tips": []}
    assert ask(server.inbox_listen, "GET", TIPS, authorization=f"bearer {inbox.token}").status == 200

    log = server.log_path.read_text()
    for secret in (inbox.token, other.read_text().strip(), inbox.verifier, inbox.recipient):
        assert secret not in log


def test_the_public_listener_has_no_inbox_paths(start_inbox_server, inbox):
    server = start_inbox_server()
    for method, path in [("GET", TIPS), ("GET", f"{TIPS}/{'a' * 26}"), ("DELETE", f"{TIPS}/{'a' * 26}")]:
        reply = ask(server.listen, method, path, token=inbox.token)
        assert reply.status == 404, (method, path)
        assert reply.header("content-type").startswith("text/html"), "the public site's own not-found page"
    # Nor are the public pages on the journalists' listener.
    for path in ["/", "/api/v1/status"]:
        reply = ask(server.inbox_listen, "GET", path, token=inbox.token)
        assert reply.status == 404 and set(reply.json()) == {"error"}


def test_the_start_log_says_the_inbox_is_on_without_any_key(start_inbox_server, inbox):
    server = start_inbox_server()
    log = server.log_path.read_text()
    assert f"inbox on: 1 recipient(s), 1 access verifier(s), journalists' API on {server.inbox_listen}" in log
    assert inbox.recipient not in log and inbox.verifier not in log


def test_without_recipients_no_second_listener_opens(start_server):
    server = start_server()
    assert "inbox off" in server.log_path.read_text()
    assert ask(server.listen, "GET", TIPS).status == 404


def test_both_listeners_on_unix_sockets(start_inbox_server, inbox, workdir):
    run = workdir / "run"
    run.mkdir(mode=0o755)
    public, journalists = run / "http.sock", run / "inbox.sock"
    server = start_inbox_server(listen=f"unix:{public}", inbox_listen=f"unix:{journalists}")
    for path in (public, journalists):
        assert (path.stat().st_mode & 0o777) == 0o660
        if os.geteuid() == 0:
            assert path.stat().st_uid == 65534, "given to the account the server dropped to"
    assert ask(server.inbox_listen, "GET", TIPS, token=inbox.token).json() == {"tips": []}
    assert_refused(ask(server.inbox_listen, "GET", TIPS))
    assert ask(server.listen, "GET", TIPS, token=inbox.token).status == 404
    assert server.stop() == 0


def test_a_stale_inbox_socket_is_replaced_and_a_file_is_not(start_inbox_server, inbox, workdir):
    stale = workdir / "inbox.sock"
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(stale))
    leftover.close()
    server = start_inbox_server(inbox_listen=f"unix:{stale}")
    assert ask(server.inbox_listen, "GET", TIPS, token=inbox.token).status == 200
    server.stop()

    not_a_socket = workdir / "inbox.file"
    not_a_socket.write_text("keep me")
    result = serve(workdir, inbox.config(f"unix:{not_a_socket}"))
    assert result.returncode == 1
    assert "is not a socket: refusing to replace it" in result.stderr
    assert not_a_socket.read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop and the confinement checks need root (CI runs as root)")
def test_still_confined_with_two_listeners(start_inbox_server, inbox):
    server = start_inbox_server()
    pid = server.process.pid
    fields = proc_status(pid)
    assert fields["Seccomp"] == "2"
    assert fields["NoNewPrivs"] == "1"
    assert fields["Uid"].split() == ["65534"] * 4
    for task in os.listdir(f"/proc/{pid}/task"):
        assert "Seccomp:\t2" in Path(f"/proc/{pid}/task/{task}/status").read_text(), f"thread {task} is not filtered"
    # Both listeners serve under the filter.
    assert ask(server.inbox_listen, "GET", TIPS, token=inbox.token).status == 200
    assert server.request("GET", "/api/v1/status").status == 200
    log = server.log_path.read_text()
    assert log.count("confined:") == 1, log


def serve(workdir, config, listen=None):
    """`ashlink serve` expected to refuse to start: its exit status and its output."""
    config_path = workdir / "refused.conf"
    config_path.write_text(config)
    listen = listen or f"127.0.0.1:{free_port()}"
    return subprocess.run([BINARY, "serve", "--listen", listen, "--data-dir", str(workdir / "var"),
                           "--config", str(config_path)] + DROP_ROOT, capture_output=True, text=True, timeout=30)


def test_an_invalid_recipient_refuses_the_start_with_one_line(workdir, inbox):
    result = serve(workdir, inbox.config(f"127.0.0.1:{free_port()}").replace(inbox.recipient, "age1notarecipient"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "inbox_recipients" in result.stderr and "not an age X25519 recipient" in result.stderr
    assert not (workdir / "var").exists(), "refused before anything was made"


def test_an_inbox_listener_that_cannot_bind_stops_the_start_unserved(workdir, inbox):
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        result = serve(workdir, inbox.config(f"127.0.0.1:{port}"))
    finally:
        taken.close()
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("ashlink: ")] == [
        f"ashlink: cannot serve on inbox_listen 127.0.0.1:{port}: "
        "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)"], result.stderr
    assert "confined:" not in result.stderr and "serving on" not in result.stderr


# Tips, posted through the public form as a tipster's browser posts them.

def post_tip(server, message):
    boundary = "----ashlink-inbox-" + secrets.token_hex(12)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n".encode()
            + message.encode() + f"\r\n--{boundary}--\r\n".encode())
    reply = server.request("POST", "/tip", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)
    assert reply.status == 200, reply.text


def listed(server, inbox):
    reply = ask(server.inbox_listen, "GET", TIPS, token=inbox.token)
    assert reply.status == 200, reply.text
    return reply.json()["tips"]


def test_a_posted_tip_is_listed_fetched_and_acknowledged(start_inbox_server, inbox, workdir):
    server = start_inbox_server()
    message = "the ledger is in the blue folder " + secrets.token_hex(8)
    post_tip(server, message)
    [tip] = listed(server, inbox)
    assert set(tip) == {"id", "bytes", "received"}
    assert len(tip["id"]) == 26
    assert tip["received"] == datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")

    fetched = ask(server.inbox_listen, "GET", f"{TIPS}/{tip['id']}", token=inbox.token)
    assert fetched.status == 200
    assert fetched.header("content-type") == "application/octet-stream"
    assert int(fetched.header("content-length")) == tip["bytes"] == len(fetched.body)
    assert fetched.body.startswith(b"age-encryption.org/v1\n")
    assert message.encode() not in fetched.body
    if AGE is not None:
        plaintext = subprocess.run([AGE, "-d", "-i", str(inbox.identity)], input=fetched.body, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(plaintext)) as archive:
            assert archive.extractfile("message.txt").read().decode() == message

    acknowledged = ask(server.inbox_listen, "DELETE", f"{TIPS}/{tip['id']}", token=inbox.token)
    assert acknowledged.status == 204 and acknowledged.body == b""
    after = ask(server.inbox_listen, "GET", f"{TIPS}/{tip['id']}", token=inbox.token)
    assert after.status == 404 and set(after.json()) == {"error"}
    assert ask(server.inbox_listen, "DELETE", f"{TIPS}/{tip['id']}", token=inbox.token).status == 404
    assert listed(server, inbox) == []
    for malformed in ["x", tip["id"].upper(), tip["id"][:-1], "..%2Fvault.sqlite3"]:
        assert ask(server.inbox_listen, "GET", f"{TIPS}/{malformed}", token=inbox.token).status == 404


def test_of_two_concurrent_acknowledgements_exactly_one_deletes(start_inbox_server, inbox):
    server = start_inbox_server()
    for attempt in range(5):
        post_tip(server, f"tip {attempt}")
    tips = listed(server, inbox)
    assert len(tips) == 5
    for tip in tips:
        start = threading.Barrier(2)
        statuses = []

        def acknowledge():
            start.wait()
            statuses.append(ask(server.inbox_listen, "DELETE", f"{TIPS}/{tip['id']}", token=inbox.token).status)

        threads = [threading.Thread(target=acknowledge) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [204, 404]
        assert ask(server.inbox_listen, "GET", f"{TIPS}/{tip['id']}", token=inbox.token).status == 404
    assert listed(server, inbox) == []

