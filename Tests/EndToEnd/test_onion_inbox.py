"""The tip inbox as tipsters and journalists reach it: two onions, one with client authorization.

A private Tor network runs on 127.0.0.1 only (tornet.py): 3 directory authorities and 1 relay,
and one onion service tor whose torrc is torrc.example with its paths moved into the test
folder. Like a freshly installed package, it starts with the public onion and an inbox onion
whose authorized_clients/ is empty; the journalist's key pair is then made with the commands of
docs/tor.md ("The inbox onion"), its .auth file put in place and tor reloaded, as that page
tells a newsroom to. Behind the two onions, the real `ashlink serve` with the inbox on: its
public listener and its inbox listener. Three Tor clients: the journalist (ClientOnionAuthDir
holding the .auth_private file), a tipster without any key, and a stranger holding a key the
service never authorized. A tip goes in through the public onion and comes out with
`ashlink inbox fetch --socks` through the inbox onion, and Debian's age and tar open it; a
whole conversation goes the same ways: the journalist's `ashlink inbox reply` through the inbox
onion, the tipster reading it once with the codename through the public onion.

The network starts once for the module; the wall time of the Tor part is printed at the end.
"""

import base64
import json
import os
import re
import subprocess
import time
import uuid

import pytest

from ashlink_harness.commands import run, run_ashlink
from ashlink_harness.example_torrc import torrc_from_example
from ashlink_harness.http_client import exchange, through_socks
from ashlink_harness.onion_client import (
    CLIENT_LINE, SERVICE_LINE, add_client_key, base32, make_client_key, wait_until_reachable, x25519_keypair)
from ashlink_harness.report import say
from ashlink_harness.server import Server
from ashlink_harness.socks import SocksError
from ashlink_harness.tornet import TorNetwork

FIRST_FETCH_TIMEOUT = 120
CODENAME = re.compile(r'id="codename">([^<]*)<')
REQUEST_TIMEOUT = 20


# ---- the documented commands ------------------------------------------------------------------

def test_documented_commands_make_the_two_files_of_one_key_pair(workdir):
    """tor(1)'s formats, and the private half really belongs to the public half."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    address = "a" * 54 + "ad.onion"
    service_line, client_line = make_client_key(workdir / "keys", "alice", address)
    assert SERVICE_LINE.fullmatch(service_line), service_line
    assert CLIENT_LINE.fullmatch(client_line) and client_line.startswith(address.removesuffix(".onion") + ":")
    private = base64.b32decode(client_line.rsplit(":", 1)[1] + "====")
    public = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert service_line == f"descriptor:x25519:{base32(public)}"


# ---- the private Tor network ------------------------------------------------------------------

class Onions:
    def __init__(self, network, service, public_address, inbox_address, journalist, tipster, stranger,
                 newsroom_key, token_file):
        self.network = network
        self.service = service
        self.public_address = public_address
        self.inbox_address = inbox_address
        self.journalist = journalist
        self.tipster = tipster
        self.stranger = stranger
        self.newsroom_key = newsroom_key
        self.token_file = token_file

    def fetch(self, client, output):
        """`ashlink inbox fetch` as docs/inbox.md runs it, through `client`'s SOCKS port."""
        return run_ashlink("inbox", "fetch", "--server", f"http://{self.inbox_address}",
                           "--socks", f"127.0.0.1:{client.socks_port}", "--token-file", str(self.token_file),
                           "--output", str(output), timeout=180)

    def listing(self):
        token = self.token_file.read_text().strip()
        reply = exchange(through_socks(self.journalist.socks_port, self.inbox_address, timeout=REQUEST_TIMEOUT),
                         "GET", "/inbox/v1/tips", headers={"Authorization": f"Bearer {token}"})
        assert reply.status == 200, reply.text
        return reply.json()["tips"]


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

        # The newsroom's age identity (Debian's age-keygen) and the journalist's access token.
        newsroom_key = root / "newsroom.key"
        keygen = run(["age-keygen", "-o", str(newsroom_key)], check=True)
        recipient = re.search(r"age1[0-9a-z]{58}", keygen.stderr).group(0)
        token_file = root / "alice" / "inbox.token"
        verifier = run_ashlink("inbox", "access-token", "--output", str(token_file)).stdout.strip()
        # torrc.example's public onion sends tor's PROXY line (HiddenServiceExportCircuitID).
        config = (f"inbox_recipients = {recipient}\ninbox_listen = unix:{inbox_socket}\n"
                  f"inbox_access = {verifier}\nproxy_protocol = on\n")
        if os.geteuid() != 0:
            config += "allow_unlocked_memory = true\n"  # mlockall needs root or CAP_IPC_LOCK
        server = Server(app_dir / "var", listen=f"unix:{public_socket}", config=config, proxy_line=b"PROXY UNKNOWN\r\n")
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

        # Ashlink's inbox listener answers without a token: 401.
        wait_until_reachable(journalist, inbox_address, timeout=FIRST_FETCH_TIMEOUT, path="/inbox/v1/tips", expect=401)
        network.mark("first answer through the inbox onion")
        yield Onions(network, service, public_address, inbox_address, journalist, tipster, stranger,
                     newsroom_key, token_file)
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


def documented_check(client, address):
    """docs/tor.md's check from the fetching machine: curl's status code and exit code."""
    result = run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\n", "--max-time", "60",
                  "--socks5-hostname", f"127.0.0.1:{client.socks_port}", f"http://{address}/inbox/v1/tips"])
    return result.stdout.strip(), result.returncode


def test_the_documented_check_tells_the_key_works_and_the_key_is_needed(onions):
    assert documented_check(onions.journalist, onions.inbox_address) == ("401", 0)
    status, exit_code = documented_check(onions.tipster, onions.inbox_address)
    assert status == "000" and exit_code != 0  # a SOCKS error: nothing reached Ashlink


def test_the_inbox_api_is_not_on_the_public_onion(onions):
    wait_until_reachable(onions.tipster, onions.public_address, timeout=FIRST_FETCH_TIMEOUT)
    token = onions.token_file.read_text().strip()
    for client in (onions.tipster, onions.journalist):
        reply = exchange(through_socks(client.socks_port, onions.public_address, timeout=REQUEST_TIMEOUT),
                         "GET", "/inbox/v1/tips", headers={"Authorization": f"Bearer {token}"})
        assert reply.status == 404, client.nick


def post_tip(client, address, message):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n".encode()
            + message.encode() + f"\r\n--{boundary}--\r\n".encode())
    return exchange(through_socks(client.socks_port, address, timeout=REQUEST_TIMEOUT), "POST", "/tip",
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)


def test_a_tip_through_the_public_onion_is_fetched_through_the_inbox_onion(onions, workdir):
    wait_until_reachable(onions.tipster, onions.public_address, timeout=FIRST_FETCH_TIMEOUT)
    message = "the minutes of the board meeting are in locker 12\n"
    received = post_tip(onions.tipster, onions.public_address, message)
    assert received.status == 200, received.text
    assert len(onions.listing()) == 1

    # Through a tor without the client key, the fetch fails cleanly and takes nothing.
    refused_into = workdir / "refused"
    refused_into.mkdir()
    refused = onions.fetch(onions.tipster, refused_into)
    assert refused.returncode == 1, refused.stdout
    assert len(refused.stderr.splitlines()) == 1 and refused.stderr.startswith("ashlink: inbox fetch: "), refused.stderr
    assert "0xF4" in refused.stderr, refused.stderr  # tor's "missing client authorization", passed on
    assert list(refused_into.iterdir()) == []
    assert len(onions.listing()) == 1, "nothing was acknowledged"

    # Through the journalist's tor: the age file, acknowledged, and Debian's tools open it.
    tips = workdir / "tips"
    tips.mkdir()
    fetched = onions.fetch(onions.journalist, tips)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.splitlines()[-1] == f"fetched 1 tip into {tips}", fetched.stdout
    (tip,) = tips.iterdir()
    assert re.fullmatch(r"[a-z2-7]{26}\.age", tip.name), tip.name
    plaintext = run(["age", "-d", "-i", str(onions.newsroom_key), str(tip)], text=False, check=True).stdout
    opened = workdir / "opened"
    opened.mkdir()
    run(["tar", "-x", "-C", str(opened)], input=plaintext, text=False, check=True)
    assert (opened / "message.txt").read_text() == message
    assert onions.listing() == []

    again = onions.fetch(onions.journalist, tips)
    assert again.returncode == 0 and again.stdout.splitlines() == [f"fetched 0 tips into {tips}"], again.stdout
    assert [path.name for path in tips.iterdir()] == [tip.name]


def read_replies(client, address, codename):
    return exchange(through_socks(client.socks_port, address, timeout=REQUEST_TIMEOUT), "POST", "/tip/replies",
                    fields={"codename": codename})


def test_tip_fetch_reply_and_read_once_all_through_tor(onions, workdir):
    wait_until_reachable(onions.tipster, onions.public_address, timeout=FIRST_FETCH_TIMEOUT)
    received = post_tip(onions.tipster, onions.public_address, "the board met twice in March\n")
    assert received.status == 200, received.text
    [codename] = CODENAME.findall(received.text)

    tips = workdir / "tips"
    tips.mkdir()
    fetched = run_ashlink("inbox", "fetch", "--server", f"http://{onions.inbox_address}",
                          "--socks", f"127.0.0.1:{onions.journalist.socks_port}", "--token-file", str(onions.token_file),
                          "--output", str(tips), "--identity", str(onions.newsroom_key), timeout=180)
    assert fetched.returncode == 0, fetched.stderr
    [tip] = [path for path in tips.iterdir() if path.is_dir()]
    assert (tip / "reply-address.txt").is_file()

    replied = run_ashlink("inbox", "reply", "--server", f"http://{onions.inbox_address}",
                          "--socks", f"127.0.0.1:{onions.journalist.socks_port}", "--token-file", str(onions.token_file),
                          "--tip", str(tip), "--message", "Which dates in March?", timeout=180)
    assert replied.returncode == 0, replied.stderr

    shown = read_replies(onions.tipster, onions.public_address, codename)
    assert shown.status == 200 and "Which dates in March?" in shown.text, shown.text
    again = read_replies(onions.tipster, onions.public_address, codename)
    assert again.status == 200 and "No replies are waiting" in again.text, again.text
    assert onions.listing() == [], "the tip was acknowledged"


def test_the_public_onion_still_serves_everyone(onions):
    for client in (onions.tipster, onions.stranger, onions.journalist):
        wait_until_reachable(client, onions.public_address, timeout=FIRST_FETCH_TIMEOUT)
