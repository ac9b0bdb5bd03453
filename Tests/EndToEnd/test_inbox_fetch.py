"""`ashlink inbox fetch` against the real server: tips posted through the public form come back
as age files that Debian's age and tar open, are acknowledged only once they are on disk, and a
fetch cut off anywhere is finished by the next one. The SOCKS5 proxy (socks_server.py) stands in for
tor's SocksPort: it records what it is asked for, and can cut or refuse connections on purpose."""

import os
import stat
import subprocess
import uuid

import pytest

from ashlink_harness import http_client
from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from ashlink_harness.socks_server import SocksProxy

ONION = "a" * 55 + "d.onion"


class Inbox:
    def __init__(self, server, listen, key, token_file, output):
        self.server, self.key, self.token_file, self.output = server, key, token_file, output
        self.address = listen  # "127.0.0.1:PORT" or "unix:PATH", as inbox_listen spells it
        self.port = int(listen.rpartition(":")[2]) if not listen.startswith("unix:") else None

    def post_tip(self, message):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n".encode() + message.encode()
                + f"\r\n--{boundary}--\r\n".encode())
        reply = self.server.request("POST", "/tip", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)
        assert reply.status == 200, reply.text

    def listing(self):
        token = self.token_file.read_text().strip()
        reply = http_client.request(self.address, "GET", "/inbox/v1/tips", headers={"Authorization": f"Bearer {token}"})
        assert reply.status == 200, reply.text
        return reply.json()["tips"]

    def listed(self):
        return {tip["id"]: tip["bytes"] for tip in self.listing()}

    def fetch(self, *extra, server=None, token_file=None):
        default = self.address if self.address.startswith("unix:") else f"http://{self.address}"
        return run_ashlink("inbox", "fetch", "--server", server or default,
                           "--token-file", str(token_file or self.token_file), "--output", str(self.output), *extra, timeout=120)

    def files(self):
        return sorted(path.name for path in self.output.iterdir())


@pytest.fixture
def start_inbox(workdir, start_server):
    """The real server with the inbox on, its journalists' listener at `listen`, keys made by the binary."""

    def start(listen):
        key = workdir / "newsroom.key"
        recipient = run_ashlink("inbox", "keygen", "--output", str(key)).stdout.strip()
        token_file = workdir / "inbox.token"
        verifier = run_ashlink("inbox", "access-token", "--output", str(token_file)).stdout.strip()
        server = start_server(config=f"inbox_recipients = {recipient}\ninbox_listen = {listen}\ninbox_access = {verifier}\n")
        output = workdir / "tips"
        output.mkdir()
        return Inbox(server, listen, key, token_file, output)

    return start


@pytest.fixture
def inbox(start_inbox):
    return start_inbox(f"127.0.0.1:{free_port()}")


def decrypt_with_debians_tools(key, tip, into):
    into.mkdir()
    plaintext = subprocess.run(["age", "-d", "-i", str(key), str(tip)], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=plaintext, check=True)
    return sorted(path.name for path in into.iterdir())


def test_tips_from_the_form_are_fetched_decrypted_and_acknowledged(inbox, workdir):
    messages = ["Названия, 名前 — the files are in the blue folder\n", "a second tip"]
    for message in messages:
        inbox.post_tip(message)
    listed = inbox.listed()
    assert len(listed) == 2

    result = inbox.fetch("--identity", str(inbox.key))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"fetched 2 tips into {inbox.output}"
    for tip_id, size in listed.items():
        assert any(line.startswith(f"{inbox.output}/{tip_id}.age (received ") and f", {size} bytes)" in line
                   and line.endswith(f", decrypted into {inbox.output}/{tip_id}") for line in lines[:-1]), result.stdout
    assert inbox.files() == sorted([f"{tip_id}.age" for tip_id in listed] + list(listed))

    texts = []
    for tip_id, size in listed.items():
        tip = inbox.output / f"{tip_id}.age"
        assert tip.stat().st_size == size and stat.S_IMODE(tip.stat().st_mode) == 0o600
        assert decrypt_with_debians_tools(inbox.key, tip, workdir / f"by-age-{tip_id}") == ["message.txt", "reply-address.txt"]
        text = (workdir / f"by-age-{tip_id}" / "message.txt").read_text()
        assert (inbox.output / tip_id / "message.txt").read_text() == text
        texts.append(text)
    assert sorted(texts) == sorted(messages)
    assert inbox.listed() == {}, "every fetched tip is acknowledged"

    again = inbox.fetch("--identity", str(inbox.key))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"fetched 0 tips into {inbox.output}"]
    assert inbox.files() == sorted([f"{tip_id}.age" for tip_id in listed] + list(listed))


def test_a_listener_on_a_unix_socket_is_fetched_from_directly(start_inbox, workdir):
    inbox = start_inbox(f"unix:{workdir}/inbox.sock")
    inbox.post_tip("over the local socket")
    listed = inbox.listed()
    result = inbox.fetch("--identity", str(inbox.key))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"fetched 1 tip into {inbox.output}"
    (tip_id,) = listed
    assert (inbox.output / tip_id / "message.txt").read_text() == "over the local socket"
    assert inbox.listed() == {}


def test_the_inbox_gives_nothing_for_a_wrong_token_and_a_careless_token_file_is_not_used(inbox, workdir):
    inbox.post_tip("only for the newsroom")
    listed = inbox.listed()

    other = workdir / "other.token"
    assert run_ashlink("inbox", "access-token", "--output", str(other)).returncode == 0
    wrong = inbox.fetch(token_file=other)
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == ["ashlink: inbox fetch: the inbox refused the access token"]

    empty = workdir / "empty.token"
    empty.write_text("")
    os.chmod(empty, 0o600)
    refused = inbox.fetch(token_file=empty)
    assert refused.returncode == 1 and refused.stderr.splitlines() == [
        f"ashlink: inbox fetch: {empty} is empty: expected the token `ashlink inbox access-token` wrote"]

    os.chmod(inbox.token_file, 0o644)
    readable = inbox.fetch()
    assert readable.returncode == 1 and readable.stderr.splitlines() == [
        f"ashlink: inbox fetch: {inbox.token_file}: other accounts may read or change it (mode 644): chmod 600 {inbox.token_file}"]

    missing = inbox.fetch(token_file=workdir / "missing.token")
    assert missing.returncode == 1 and "No such file or directory" in missing.stderr

    assert inbox.files() == [] and inbox.listed() == listed
    os.chmod(inbox.token_file, 0o600)
    assert inbox.fetch().returncode == 0 and inbox.listed() == {}


@pytest.fixture
def proxies():
    started = []

    def start(*args, **kwargs):
        proxy = SocksProxy(*args, **kwargs)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.close()


def test_through_socks_the_onion_name_goes_to_the_proxy_unresolved(inbox, proxies):
    inbox.post_tip("through tor")
    listed = inbox.listed()
    proxy = proxies(inbox.port)

    unproxied = inbox.fetch(server=f"http://{ONION}")
    assert unproxied.returncode == 1 and "is an onion address: give tor's SOCKS port with --socks" in unproxied.stderr
    assert proxy.requests == []

    result = inbox.fetch("--socks", f"127.0.0.1:{proxy.port}", server=f"http://{ONION}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"fetched 1 tip into {inbox.output}"
    assert inbox.files() == [f"{tip_id}.age" for tip_id in listed]
    # list, download, acknowledge: each a connection to the onion by name (address type 3).
    assert proxy.requests == [(5, 1, 3, ONION, 80)] * 3
    assert inbox.listed() == {}


def test_a_download_cut_off_leaves_nothing_and_acknowledges_nothing(inbox, proxies):
    message = "the long one " * 75_000  # just under the form's 1 MiB for a message
    inbox.post_tip(message)
    listed = inbox.listed()
    (tip_id, size), = listed.items()
    assert size > 975_000

    proxy = proxies(inbox.port, cut_after=300_000)
    cut = inbox.fetch("--socks", f"127.0.0.1:{proxy.port}", "--identity", str(inbox.key), server=f"http://{ONION}")
    assert cut.returncode == 1
    assert cut.stderr.splitlines() == [
        f"ashlink: inbox fetch: the connection to the inbox at http://{ONION} through the SOCKS proxy 127.0.0.1:{proxy.port} "
        f"broke during GET /inbox/v1/tips/{tip_id}: the connection ended before the whole answer arrived"]
    assert inbox.files() == [], "no .age file, and no partial one either"
    assert inbox.listed() == listed, "nothing acknowledged"

    again = inbox.fetch("--identity", str(inbox.key))
    assert again.returncode == 0, again.stderr
    assert inbox.files() == [tip_id, f"{tip_id}.age"]
    assert (inbox.output / tip_id / "message.txt").read_text() == message
    assert inbox.listed() == {}


def test_a_fetch_stopped_before_the_acknowledgement_is_finished_by_the_next(inbox, proxies):
    inbox.post_tip("written down, not yet acknowledged")
    listed = inbox.listed()
    (tip,) = inbox.listing()
    tip_id, size = tip["id"], tip["bytes"]

    # The listing and the download get through; the acknowledgement cannot reach the inbox.
    proxy = proxies(inbox.port, allow=2)
    stopped = inbox.fetch("--socks", f"127.0.0.1:{proxy.port}", server=f"http://{ONION}")
    assert stopped.returncode == 1
    assert stopped.stderr.splitlines() == [
        f"ashlink: inbox fetch: could not reach the inbox at http://{ONION} through the SOCKS proxy 127.0.0.1:{proxy.port}: "
        "the SOCKS proxy could not connect: connection refused (SOCKS reply 0x5)"]
    assert inbox.files() == [f"{tip_id}.age"]
    whole = (inbox.output / f"{tip_id}.age").read_bytes()
    assert len(whole) == size
    assert inbox.listed() == listed

    finished = inbox.fetch("--identity", str(inbox.key))
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines() == [
        f"{inbox.output}/{tip_id}.age (received {tip['received']}, {size} bytes, fetched earlier), "
        f"decrypted into {inbox.output}/{tip_id}",
        f"fetched 1 tip into {inbox.output}"]
    assert inbox.files() == [tip_id, f"{tip_id}.age"]
    assert (inbox.output / f"{tip_id}.age").read_bytes() == whole
    assert (inbox.output / tip_id / "message.txt").read_text() == "written down, not yet acknowledged"
    assert inbox.listed() == {}
