"""The tip inbox's second onion, as journalists reach it: client authorization, through Tor.

A private Tor network runs on 127.0.0.1 only (tornet.py): 3 directory authorities and 1 relay,
and one onion service tor whose torrc is torrc.example with its paths moved into the test
folder. Like a freshly installed package, it starts with the public onion and an inbox onion
whose authorized_clients/ is empty; the journalist's key pair is then made with the commands of
docs/tor.md ("The inbox onion"), its .auth file put in place and tor reloaded, as that page
tells a newsroom to. Three Tor clients: the journalist (ClientOnionAuthDir holding the
.auth_private file), a tipster without any key, and a stranger holding a key the service never
authorized.

The network starts once for the module; the wall time of the Tor part is printed at the end.
"""

import http.server
import json
import os
import re
import socketserver
import subprocess
import threading
import time

import pytest

from ashlink_harness.example_torrc import torrc_from_example
from ashlink_harness.http_client import exchange, through_socks
from ashlink_harness.onion_client import (
    CLIENT_LINE, SERVICE_LINE, add_client_key, base32, wait_until_reachable, x25519_keypair)
from ashlink_harness.paths import REPOSITORY
from ashlink_harness.report import say
from ashlink_harness.server import Server
from ashlink_harness.socks import SocksError
from ashlink_harness.tornet import TorNetwork

TOR_MD = REPOSITORY / "docs" / "tor.md"
FIRST_FETCH_TIMEOUT = 120
REQUEST_TIMEOUT = 20


# ---- the documented commands ------------------------------------------------------------------

def documented_key_commands():
    """The shell block of docs/tor.md that makes a journalist's client key pair, without its two
    lines that the reader edits (`name=...` and `inbox=...`)."""
    section = TOR_MD.read_text().split("## The inbox onion", 1)[1]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    block = next(b for b in blocks if "openssl genpkey -algorithm x25519" in b)
    lines = block.splitlines()
    assert [line.split("=")[0] for line in lines[:2]] == ["name", "inbox"], "the block starts by naming the journalist and the onion"
    return "\n".join(lines[2:]) + "\n"


def make_client_key(folder, name, address):
    """Runs the documented commands in `folder`; returns the two lines they wrote."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    script = f"set -eu\nname={name}\ninbox={address.removesuffix('.onion')}\n" + documented_key_commands()
    result = subprocess.run(["sh", "-c", script], cwd=folder, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in folder.iterdir()) == [f"{name}.auth", f"{name}.auth_private"]
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"
    return (folder / f"{name}.auth").read_text().strip(), (folder / f"{name}.auth_private").read_text().strip()


def test_documented_commands_make_the_two_files_of_one_key_pair(workdir):
    """tor(1)'s formats, and the private half really belongs to the public half."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    import base64

    address = "a" * 54 + "ad.onion"
    service_line, client_line = make_client_key(workdir / "keys", "alice", address)
    assert SERVICE_LINE.fullmatch(service_line), service_line
    assert CLIENT_LINE.fullmatch(client_line) and client_line.startswith(address.removesuffix(".onion") + ":")
    private = base64.b32decode(client_line.rsplit(":", 1)[1] + "====")
    public = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert service_line == f"descriptor:x25519:{base32(public)}"


# ---- the private Tor network ------------------------------------------------------------------

class InboxStandIn(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """An HTTP listener on the inbox socket that answers every GET with 200 "inbox listener":
    what is behind the onion does not matter to client authorization, which tor alone enforces."""

    daemon_threads = True

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"inbox listener\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def __init__(self, path):
        super().__init__(str(path), self.Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def get_request(self):
        connection, _ = super().get_request()
        return connection, ("unix", 0)  # BaseHTTPRequestHandler wants an address pair


class Onions:
    def __init__(self, network, service, public_address, inbox_address, journalist, tipster, stranger):
        self.network = network
        self.service = service
        self.public_address = public_address
        self.inbox_address = inbox_address
        self.journalist = journalist
        self.tipster = tipster
        self.stranger = stranger


@pytest.fixture(scope="module")
def onions(request):
    network = TorNetwork(authorities=3, relays=1)
    stoppers = []
    try:
        network.start_directory()
        network.wait_for_consensus()

        root = network.root
        app_dir = root / "ashlink"
        app_dir.mkdir(mode=0o755)
        public_socket, inbox_socket = app_dir / "http.sock", app_dir / "inbox.sock"
        inbox_dir = root / "inbox_service"
        torrc = torrc_from_example(
            public_service_dir=root / "hidden_service", inbox_service_dir=inbox_dir,
            recipients_service_dir=root / "recipients_service", public_socket=public_socket, inbox_socket=inbox_socket)
        service = network.start_onion_service("onion", torrc)
        public_address = network.wait_for_hostname(root / "hidden_service", service)
        inbox_address = network.wait_for_hostname(inbox_dir, service)
        network.mark("onion service started")
        assert list((inbox_dir / "authorized_clients").iterdir()) == [], "tor made the folder, empty"

        # docs/tor.md, "The inbox onion", steps 1 and 2: the journalist's key pair, its public
        # half into authorized_clients/, and a reload.
        service_line, client_line = make_client_key(root / "alice", "alice", inbox_address)
        subprocess.run(["install", "-m", "0600", str(root / "alice" / "alice.auth"),
                        str(inbox_dir / "authorized_clients" / "alice.auth")], check=True)
        service.reload()
        network.mark("journalist's key loaded by a reload")

        inbox = InboxStandIn(inbox_socket)
        stoppers.append(inbox.shutdown)
        # mlockall needs root or CAP_IPC_LOCK
        config = "" if os.geteuid() == 0 else "allow_unlocked_memory = true\n"
        server = Server(app_dir / "var", listen=f"unix:{public_socket}", config=config)
        stoppers.append(server.stop)

        # Step 3: the journalist's tor with the .auth_private file in its ClientOnionAuthDir.
        journalist_keys = root / "journalist-keys"
        add_client_key(journalist_keys, "alice", (root / "alice" / "alice.auth_private").read_text().strip())
        journalist = network.start_client("journalist", client_auth_dir=journalist_keys)
        tipster = network.start_client("tipster")
        _, unauthorized = x25519_keypair()
        stranger_keys = root / "stranger-keys"
        add_client_key(stranger_keys, "stranger", f"{inbox_address.removesuffix('.onion')}:descriptor:x25519:{base32(unauthorized)}")
        stranger = network.start_client("stranger", client_auth_dir=stranger_keys)
        for client in (journalist, tipster, stranger):
            client.wait_for_log(r"Bootstrapped 100%", timeout=90)
        network.mark("clients bootstrapped")

        wait_until_reachable(journalist, inbox_address, timeout=FIRST_FETCH_TIMEOUT, path="/", expect=200)
        network.mark("first fetch through the inbox onion")
        yield Onions(network, service, public_address, inbox_address, journalist, tipster, stranger)
    finally:
        try:
            for stop in reversed(stoppers):
                stop()
        finally:
            network.close()
            network.mark("network stopped and removed")
            say(request, f"\n[tor] inbox onion network (3 authorities, 1 relay, onion service, 3 clients), "
                         f"seconds since start: {json.dumps(network.timings)}")
            say(request, f"[tor] wall time of the Tor part: {network.timings['network stopped and removed']:.1f} s")
            assert not network.root.exists(), "the private network left files behind"


def socks_refusal(client, host):
    """The SOCKS error tor answers for `host`, retrying while the descriptor may still be on its
    way (0xF0, not found); fails the test if a stream opens."""
    deadline = time.monotonic() + FIRST_FETCH_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        connection = through_socks(client.socks_port, host, timeout=10)
        try:
            connection.connect()
        except SocksError as error:
            seen.append(error.code)
            if error.code != 0xF0:
                return error.code
        except OSError as error:
            seen.append(str(error))
        else:
            pytest.fail(f"{client.nick}'s tor opened a stream to the client-authorized onion")
        finally:
            connection.close()
        time.sleep(2)
    pytest.fail(f"no final SOCKS answer from {client.nick}'s tor; saw {seen}")


def test_a_tor_without_a_key_cannot_find_the_inbox_onion(onions):
    assert socks_refusal(onions.tipster, onions.inbox_address) == 0xF4  # missing client authorization


def test_a_key_the_service_never_authorized_cannot_find_it_either(onions):
    assert socks_refusal(onions.stranger, onions.inbox_address) == 0xF5  # wrong client authorization


def test_the_journalist_holding_the_key_reaches_the_inbox_listener(onions):
    reply = exchange(through_socks(onions.journalist.socks_port, onions.inbox_address, timeout=REQUEST_TIMEOUT), "GET", "/")
    assert reply.status == 200 and reply.text == "inbox listener\n"


def test_the_public_onion_still_serves_everyone(onions):
    for client in (onions.tipster, onions.stranger, onions.journalist):
        wait_until_reachable(client, onions.public_address, timeout=FIRST_FETCH_TIMEOUT)
