"""The onion appliance of test_onion.py: a private Tor network (tornet.py), an onion service
configured from torrc.example with its client-authorized second onion, the real `ashlink`
binary behind it on a Unix socket, and two Tor clients (a tipster without any key, a recipient
holding the second onion's key)."""

import contextlib
import json
import os

from ashlink_harness.example_torrc import onion_test_torrc
from ashlink_harness.onion_client import base32, request_through, wait_until_reachable, x25519_keypair
from ashlink_harness.server import Server
from ashlink_harness.tornet import TorNetwork

FIRST_FETCH_TIMEOUT = 120  # measured: first onion fetch 16-38 s after start, median ~26 s
REQUEST_TIMEOUT = 20


class Onion:
    """What the tests get: the addresses, the two clients and helpers to speak HTTP through them."""

    def __init__(self, network, service, server, address, recipients_address, tipster, recipient,
                 service_dir):
        self.network = network
        self.service = service
        self.server = server
        self.address = address
        self.recipients_address = recipients_address
        self.tipster = tipster
        self.recipient = recipient
        self.service_dir = service_dir

    def request(self, client, host, method, path, fields=None):
        return request_through(client, host, method, path, fields, timeout=REQUEST_TIMEOUT)


@contextlib.contextmanager
def onion_appliance(report):
    """The running appliance as an `Onion`; `report` gets the Tor part's timings at the end."""
    network = TorNetwork(authorities=3, relays=1)
    server = None
    try:
        network.start_directory()
        network.wait_for_consensus()

        service_dir = network.root / "hidden_service"
        recipients_dir = network.root / "recipients_service"
        (recipients_dir / "authorized_clients").mkdir(mode=0o700, parents=True)
        recipients_dir.chmod(0o700)
        public_key, private_key = x25519_keypair()
        (recipients_dir / "authorized_clients" / "recipient.auth").write_text(
            f"descriptor:x25519:{base32(public_key)}\n")

        app_dir = network.root / "ashlink"
        app_dir.mkdir(mode=0o755)
        socket_path = app_dir / "http.sock"
        # The onion service first: it writes `hostname` at once, and retries the socket until
        # Ashlink listens on it.
        service = network.start_onion_service("onion", onion_test_torrc(service_dir, recipients_dir, socket_path))
        address = network.wait_for_hostname(service_dir, service)
        recipients_address = network.wait_for_hostname(recipients_dir, service)
        network.mark("onion service started")

        # A long header timeout, so that only tor can end the streams of the MaxStreams test
        # quickly, and as many connections per circuit as tor lets a circuit open streams.
        # torrc.example sends tor's PROXY line: proxy_protocol = on reads it.
        config = (f"public_url = http://{address}\nheader_timeout_seconds = 30\n"
                  f"proxy_protocol = on\nmax_connections_per_circuit = 20\ncreates_per_minute_per_circuit = 30\n")
        if os.geteuid() != 0:
            config += "allow_unlocked_memory = true\n"  # mlockall needs root or CAP_IPC_LOCK
        server = Server(app_dir / "var", listen=f"unix:{socket_path}", config=config, proxy_line=b"PROXY UNKNOWN\r\n")

        tipster = network.start_client("tipster")
        auth_dir = network.root / "recipient-keys"
        auth_dir.mkdir(mode=0o700)
        (auth_dir / "recipient.auth_private").write_text(
            f"{recipients_address.removesuffix('.onion')}:descriptor:x25519:{base32(private_key)}\n")
        recipient = network.start_client("recipient", client_auth_dir=auth_dir)
        for client in (tipster, recipient):
            client.wait_for_log(r"Bootstrapped 100%", timeout=90)
        network.mark("clients bootstrapped")
        service.wait_for_log(r"Uploaded hidden service descriptor", timeout=90, level="info")
        network.mark("descriptor uploaded")

        wait_until_reachable(tipster, address, timeout=FIRST_FETCH_TIMEOUT)
        network.mark("first onion fetch")

        yield Onion(network, service, server, address, recipients_address, tipster, recipient, service_dir)
    finally:
        try:
            if server is not None:
                server.stop()
        finally:
            network.close()
            network.mark("network stopped and removed")
            report(f"\n[tor] private network (3 authorities, 1 relay, onion service, 2 clients), "
                   f"seconds since start: {json.dumps(network.timings)}")
            report(f"[tor] wall time of the Tor part: {network.timings['network stopped and removed']:.1f} s")
            assert not network.root.exists(), "the private network left files behind"
