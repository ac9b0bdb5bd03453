"""A private Tor network on 127.0.0.1, built from Debian's `tor`, for the onion tests (end-to-end and container).

Nothing here talks to the real Tor network: every node lists only this network's directory
authorities (`TestingTorNetwork 1`), every port is on 127.0.0.1, and every file lives in one
temporary folder that `close()` removes after it has stopped every process it started.

What was measured on machines like this one shapes the choices:
- onion circuits need at least 4 relays in total (authorities count), so the default network is
  3 directory authorities + 1 relay;
- relays need `AssumeReachable 1`, and short voting intervals avoid 5-minute defaults;
- the onion service and the clients start only once the consensus gives every relay Guard and
  HSDir: starting them earlier costs 30-90 s of failed circuits;
- every port stays below 32768, where outgoing connections take their ephemeral source ports.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ashlink_harness.http_client import request
from ashlink_harness.ports import free_port
from ashlink_harness.tornode import TOR, TorNetworkError, TorNode

TOR_GENCERT = os.environ.get("TOR_GENCERT_BINARY", "/usr/bin/tor-gencert")

# Directory authorities: vote every 10 s instead of every hour.
AUTHORITY_OPTIONS = """\
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
TestingV3AuthInitialVotingInterval 10
TestingV3AuthInitialVoteDelay 2
TestingV3AuthInitialDistDelay 2
V3AuthVotingInterval 10
V3AuthVoteDelay 2
V3AuthDistDelay 2
AuthDirMaxServersPerAddr 0
"""


class TorNetwork:
    """Directory authorities and relays; then onion services and clients on top.

    Use as a context manager: leaving it stops every tor process and deletes every file,
    whether the body succeeded or not.
    """

    def __init__(self, authorities=3, relays=1, root=None):
        if authorities + relays < 4:
            raise ValueError("onion circuits need at least 4 relays in total, authorities included")
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="ashlink-tornet-"))
        self.root.chmod(0o755)  # tor insists on 0700 for its own data directories, made below
        self.empty_file = self.root / "empty-torrc"
        self.empty_file.write_text("")
        self.processes = []
        self.authorities = []
        self.relays = []
        self.timings = {}
        self.started_at = time.monotonic()
        self._closed = False
        self.authority_count = authorities
        self.relay_count = relays

    # -- life cycle ------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._closed:
            return
        self._closed = True
        for node in reversed(self.processes):
            try:
                node.stop()
            finally:
                node.close_files()
        shutil.rmtree(self.root, ignore_errors=True)

    def mark(self, name):
        self.timings[name] = round(time.monotonic() - self.started_at, 1)

    # -- the directory part ----------------------------------------------------------------

    def dir_authority_lines(self):
        return "\n".join(
            f"DirAuthority {a.nick} orport={a.or_port} no-v2 v3ident={a.v3ident} "
            f"127.0.0.1:{a.dir_port} {a.fingerprint}"
            for a in self.authorities)

    def _relay_identity(self, node):
        """Creates the relay's identity keys and reads its fingerprint, before any torrc exists."""
        subprocess.run(
            [TOR, "--defaults-torrc", str(self.empty_file), "-f", str(self.empty_file), "--list-fingerprint",
             "--DataDirectory", str(node.directory), "--ORPort", f"127.0.0.1:{node.or_port}",
             "--Nickname", node.nick, "--Log", "err stderr"],
            check=True, capture_output=True, timeout=60)
        node.fingerprint = (node.directory / "fingerprint").read_text().split()[1]

    def _authority_certificate(self, node):
        keys = node.directory / "keys"
        keys.mkdir(mode=0o700, exist_ok=True)
        subprocess.run(
            [TOR_GENCERT, "--create-identity-key", "--passphrase-fd", "0", "-m", "12",
             "-a", f"127.0.0.1:{node.dir_port}",
             "-i", str(keys / "authority_identity_key"),
             "-s", str(keys / "authority_signing_key"),
             "-c", str(keys / "authority_certificate")],
            input=b"\n", check=True, capture_output=True, timeout=60)
        certificate = (keys / "authority_certificate").read_text()
        node.v3ident = re.search(r"^fingerprint ([0-9A-F]{40})$", certificate, re.M).group(1)

    def start_directory(self):
        """Starts authorities and relays (they vote and publish from then on)."""
        for index in range(self.authority_count):
            node = TorNode(self, f"auth{index}", "directory authority")
            node.or_port, node.dir_port = free_port(), free_port()
            self._authority_certificate(node)
            self._relay_identity(node)
            self.authorities.append(node)
        for index in range(self.relay_count):
            node = TorNode(self, f"relay{index}", "relay")
            node.or_port, node.dir_port = free_port(), free_port()
            self._relay_identity(node)
            self.relays.append(node)
        for node in self.authorities + self.relays:
            body = [
                "SocksPort 0",
                "Address 127.0.0.1",
                f"ORPort 127.0.0.1:{node.or_port}",
                f"DirPort 127.0.0.1:{node.dir_port}",
                "ExitRelay 0",
                "ExitPolicy reject *:*",
                f"ContactInfo {node.nick}@ashlink.test",
            ]
            if node in self.authorities:
                body.append(AUTHORITY_OPTIONS)
            node.write_torrc("\n".join(body))
        for node in self.authorities + self.relays:
            node.start()
        self.mark("directory started")

    def consensus(self):
        """The current consensus of the first authority that has one, or None."""
        for authority in self.authorities:
            try:
                reply = request(f"127.0.0.1:{authority.dir_port}", "GET", "/tor/status-vote/current/consensus", timeout=3)
            except OSError:
                continue
            if reply.status == 200:
                return reply.body.decode("utf-8", "replace")
        return None

    @staticmethod
    def flags_by_nick(consensus):
        flags, nick = {}, None
        for line in consensus.splitlines():
            if line.startswith("r "):
                nick = line.split()[1]
            elif line.startswith("s ") and nick is not None:
                flags[nick] = set(line.split()[1:])
        return flags

    def wait_for_consensus(self, timeout=90):
        """Waits until the consensus lists every relay as a running, valid Guard and HSDir."""
        needed = {"Guard", "HSDir", "Running", "Valid"}
        nicks = [node.nick for node in self.authorities + self.relays]
        deadline = time.monotonic() + timeout
        last = {}
        while time.monotonic() < deadline:
            for node in self.processes:
                node.check_alive()
            consensus = self.consensus()
            if consensus:
                last = self.flags_by_nick(consensus)
                if all(needed <= last.get(nick, set()) for nick in nicks):
                    self.mark("consensus with Guard+HSDir on every relay")
                    return
            time.sleep(1)
        raise TorNetworkError(f"no usable consensus within {timeout} s; flags seen: {last}")

    # -- onion services and clients --------------------------------------------------------

    def start_onion_service(self, nick, torrc_body):
        """A tor process hosting onion services: `torrc_body` holds its SocksPort and HiddenService lines."""
        node = TorNode(self, nick, "onion service")
        node.write_torrc(torrc_body)
        node.start()
        return node

    def start_client(self, nick, client_auth_dir=None):
        node = TorNode(self, nick, "client")
        node.socks_port = free_port()
        body = [f"SocksPort 127.0.0.1:{node.socks_port} ExtendedErrors"]
        if client_auth_dir is not None:
            body.append(f"ClientOnionAuthDir {client_auth_dir}")
        node.write_torrc("\n".join(body))
        node.start()
        return node

    @staticmethod
    def wait_for_hostname(service_dir, node, timeout=30):
        hostname = Path(service_dir) / "hostname"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            node.check_alive()
            if hostname.exists():
                text = hostname.read_text().strip()
                if re.fullmatch(r"[a-z2-7]{56}\.onion", text):
                    return text
            time.sleep(0.1)
        raise TorNetworkError(f"{hostname} did not appear within {timeout} s")
