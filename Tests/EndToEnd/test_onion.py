"""Ashlink reached the way its users reach it: as a v3 onion service, through Tor.

A private Tor network runs on 127.0.0.1 only (tornet.py): 3 directory authorities and 1 relay,
an onion service configured from the repository's torrc.example (PoW, intro-point DoS defence
and stream limits on, plus the client-authorized second onion), the real `ashlink` binary behind
it on a Unix socket, and two Tor clients: a tipster without any key, and a recipient holding the
client-authorization key of the second onion (onion_appliance.py). Everything goes through the
clients' SOCKS ports.

The network starts once per module (~30-60 s); the wall time of the Tor part is printed at the end.
"""

import html
import os
import re
import socket
import time
from pathlib import Path

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.http_client import through_socks
from ashlink_harness.onion_appliance import FIRST_FETCH_TIMEOUT, REQUEST_TIMEOUT, onion_appliance
from ashlink_harness.onion_client import wait_until_reachable
from ashlink_harness.report import say
from ashlink_harness.socks import SOCKS_REPLIES, SocksError, socks5_connect

ONION = re.compile(r"[a-z2-7]{56}\.onion")
SECRET_LINK = re.compile(r"(http://[a-z2-7]{56}\.onion)(/secret/[a-z2-7]{52})")

@pytest.fixture(scope="module")
def onion(request):
    with onion_appliance(lambda line: say(request, line)) as appliance:
        yield appliance


def test_web_flow_through_the_onion(onion):
    tipster, address = onion.tipster, onion.address
    create_page = onion.request(tipster, address, "GET", "/")
    assert create_page.status == 200
    assert 'action="/share"' in create_page.text and 'name="secret"' in create_page.text

    secret = "meet at the <north> gate & bring the files"
    created = onion.request(tipster, address, "POST", "/share", {"secret": secret, "passphrase": "", "ttl": "3600"})
    assert created.status == 303
    receipt_path = created.header("location")
    assert re.fullmatch(r"/private/[a-z2-7]{52}", receipt_path), receipt_path

    receipt = onion.request(tipster, address, "GET", receipt_path)
    assert receipt.status == 200
    link = SECRET_LINK.search(receipt.text)
    assert link, "the receipt shows an absolute share link"
    assert link.group(1) == f"http://{address}", "the share link is built from the onion's hostname file"
    assert f"http://{address}/secret/" in receipt.text
    secret_path = link.group(2)

    confirm = onion.request(tipster, address, "GET", secret_path)
    assert confirm.status == 200 and secret not in confirm.text

    revealed = onion.request(tipster, address, "POST", secret_path, {})
    assert revealed.status == 200
    assert html.escape(secret) in revealed.text or html.escape(secret, quote=False) in revealed.text

    assert onion.request(tipster, address, "POST", secret_path, {}).status == 404
    assert onion.request(tipster, address, "GET", secret_path).status == 404
    assert "/secret/" not in onion.request(tipster, address, "GET", receipt_path).text


def test_api_flow_through_the_onion(onion):
    tipster, address = onion.tipster, onion.address
    assert onion.request(tipster, address, "GET", "/api/v1/status").json()["status"] == "nominal"
    created = onion.request(tipster, address, "POST", "/api/v1/share", {"secret": "api over tor", "ttl": "600"})
    assert created.status == 200, created.text
    metadata = created.json()
    secret_key = metadata["secret_key"]
    assert re.fullmatch(r"[a-z2-7]{52}", secret_key) and metadata["metadata_key"] != secret_key

    revealed = onion.request(tipster, address, "POST", f"/api/v1/secret/{secret_key}")
    assert revealed.status == 200
    assert revealed.json() == {"secret_key": secret_key, "value": "api over tor"}

    gone = onion.request(tipster, address, "POST", f"/api/v1/secret/{secret_key}")
    assert gone.status == 404
    assert gone.json() == {"message": "Unknown secret"}

    receipt = onion.request(tipster, address, "POST", f"/api/v1/private/{metadata['metadata_key']}")
    assert receipt.status == 200 and receipt.json()["state"] == "received"


def test_client_authorized_onion_refuses_a_client_without_the_key(onion):
    """The tipster's tor has no key for the recipients' onion: tor itself refuses the stream with
    its extended SOCKS error 'missing client authorization' (0xF4); nothing reaches Ashlink."""
    deadline = time.monotonic() + FIRST_FETCH_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        connection = through_socks(onion.tipster.socks_port, onion.recipients_address, timeout=10)
        try:
            connection.connect()
        except SocksError as error:
            seen.append(error.code)
            if error.code == 0xF4:
                return
            time.sleep(2)  # e.g. 0xF0 while the descriptor is not uploaded yet
            continue
        except OSError as error:
            seen.append(str(error))
            time.sleep(2)
            continue
        finally:
            connection.close()
        pytest.fail("a client without the key opened a stream to the client-authorized onion")
    pytest.fail(f"expected SOCKS 0xF4 ({SOCKS_REPLIES[0xF4]}); saw {seen}")


def test_client_authorized_onion_serves_the_recipient_holding_the_key(onion):
    # A tipster creates through the public onion; the recipient reveals through the private one.
    created = onion.request(onion.tipster, onion.address, "POST", "/share", {"secret": "for your eyes", "ttl": "600"})
    assert created.status == 303
    receipt = onion.request(onion.tipster, onion.address, "GET", created.header("location"))
    secret_path = SECRET_LINK.search(receipt.text).group(2)

    wait_until_reachable(onion.recipient, onion.recipients_address)
    confirm = onion.request(onion.recipient, onion.recipients_address, "GET", secret_path)
    assert confirm.status == 200 and "for your eyes" not in confirm.text
    revealed = onion.request(onion.recipient, onion.recipients_address, "POST", secret_path, {})
    assert revealed.status == 200 and "for your eyes" in revealed.text
    assert onion.request(onion.recipient, onion.recipients_address, "POST", secret_path, {}).status == 404
    # The public onion agrees: read once, gone everywhere.
    assert onion.request(onion.tipster, onion.address, "GET", secret_path).status == 404


def test_both_onions_run_with_proof_of_work_and_intro_point_defences(onion):
    """torrc.example's defences are not just accepted: tor configured them on both onions and
    published the PoW parameters in their descriptors (tor's info log says so)."""
    log = onion.service.log_text("info")
    for line in ("Service PoW defenses are enabled", "Service PoW queue rate set to: 250"):
        assert log.count(line) == 2, line  # the public and the recipients' onion
    assert log.count("Service PoW defenses are disabled") == 1  # the inbox onion: torrc.example says why
    for line in ("Service INTRO2 DoS defenses rate set to: 25", "Service INTRO2 DoS defenses burst set to: 200"):
        assert log.count(line) == 3, line  # tor states these for every onion it configures
    assert "Initializing pow_params in descriptor" in log


def test_the_onion_services_tor_keeps_its_memory_out_of_swap(onion):
    """torrc.example's DisableAllSwap 1: the tor carrying Ashlink's plaintext has locked memory."""
    if os.geteuid() != 0:
        pytest.skip("tor locks its memory only when started as root")
    status = (Path("/proc") / str(onion.service.process.pid) / "status").read_text()
    locked = re.search(r"^VmLck:\s+(\d+) kB$", status, re.M)
    assert locked and int(locked.group(1)) > 0, status


def test_onion_address_reads_the_running_service(onion):
    result = run_ashlink("onion-address", "--hidden-service-dir", str(onion.service_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == onion.address


def test_public_url_from_hidden_service_dir(onion, workdir):
    config = workdir / "ashlink.conf"
    config.write_text(f"public_url_from_hidden_service_dir = {onion.service_dir}\n")
    result = run_ashlink("check-config", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert re.search(rf"public_url\s+http://{re.escape(onion.address)}$", result.stdout, re.M), result.stdout

    both = workdir / "both.conf"
    both.write_text(f"public_url = http://example.onion\npublic_url_from_hidden_service_dir = {onion.service_dir}\n")
    refused = run_ashlink("check-config", "--config", str(both))
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr

    missing = workdir / "missing.conf"
    missing.write_text(f"public_url_from_hidden_service_dir = {workdir / 'nowhere'}\n")
    refused = run_ashlink("check-config", "--config", str(missing))
    assert refused.returncode == 1 and "hostname" in refused.stderr, refused.stderr


def test_each_circuit_has_its_own_create_share(onion):
    """tor names each stream's rendezvous circuit in a PROXY line (HiddenServiceExportCircuitID
    haproxy), so a tipster's circuit that runs through its 30 creates a minute gets 429 while
    the recipient's tor, on a circuit of its own, still creates; the global rate (600 a minute)
    was nowhere near. Without the line, a connection is dropped unanswered."""
    statuses = []
    while 429 not in statuses and len(statuses) < 60:
        statuses.append(onion.request(onion.tipster, onion.address, "POST", "/api/v1/share", {"secret": "flood"}).status)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    wait_until_reachable(onion.recipient, onion.address)
    other = onion.request(onion.recipient, onion.address, "POST", "/api/v1/share", {"secret": "still room"})
    assert other.status == 200, other.text

    direct = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        direct.settimeout(REQUEST_TIMEOUT)
        direct.connect(onion.server.listen.removeprefix("unix:"))
        direct.sendall(b"POST /api/v1/share HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nsecret=x")
        assert direct.recv(1024) == b"", "a stream that did not come through tor gets no answer"
    finally:
        direct.close()


def test_max_streams_closes_a_circuit_that_opens_too_many(onion):
    """HiddenServiceMaxStreams 20 with ...CloseCircuit 1: a 21st simultaneous stream on one
    rendezvous circuit makes the service close the circuit, and with it the 20 open streams.
    Ashlink's own header timeout is 30 s here, so an end within 15 s can only be tor's.
    (Runs last in this module: it tears down the tipster's circuit to the public onion.)"""
    wait_until_reachable(onion.tipster, onion.address)
    streams = []
    try:
        for _ in range(20):  # the same SOCKS isolation: all on one rendezvous circuit
            streams.append(socks5_connect(onion.tipster.socks_port, onion.address, 80, timeout=REQUEST_TIMEOUT))
        started = time.monotonic()
        with pytest.raises((SocksError, ConnectionError)):
            streams.append(socks5_connect(onion.tipster.socks_port, onion.address, 80, timeout=REQUEST_TIMEOUT))
        for stream in streams:
            stream.settimeout(15)
            try:
                assert stream.recv(1) == b"", "a stream stayed open on a circuit that exceeded MaxStreams"
            except ConnectionError:
                pass
        assert time.monotonic() - started < 15, "half of Ashlink's 30 s header timeout: tor closed them, not Ashlink"
    finally:
        for stream in streams:
            stream.close()
    wait_until_reachable(onion.tipster, onion.address)  # a new circuit serves again
