"""What a client of an onion needs in the tests: waiting until an onion answers through a
client's SOCKS port, a request that retries only when its stream never opened, the x25519 keys and files of tor's client authorization, and docs/tor.md's
commands that make a journalist's key pair."""

import base64
import re
import subprocess
import time
from pathlib import Path

from ashlink_harness.http_client import exchange, through_socks
from ashlink_harness.paths import REPOSITORY
from ashlink_harness.socks import SocksError

TOR_MD = REPOSITORY / "docs" / "tor.md"


def request_through(client, host, method, path, fields=None, attempts=5, timeout=20):
    """One HTTP request through `client`'s SOCKS port. Retries only when the stream never
    opened (a SOCKS error): then nothing reached the server, so even a POST is safe to repeat."""
    for attempt in range(attempts):
        connection = through_socks(client.socks_port, host, timeout=timeout)
        try:
            connection.connect()
        except (SocksError, ConnectionError):
            connection.close()
            if attempt == attempts - 1:
                raise
            time.sleep(2)
            continue
        return exchange(connection, method, path, fields)


def wait_until_reachable(client, host, timeout=120, path="/api/v1/status", expect=200):
    """Retries a small request every ~2 s with a short timeout until the onion answers `path`
    with `expect`: early tries fail while the descriptor is not uploaded yet or circuits are
    still being built."""
    deadline = time.monotonic() + timeout
    failures = []
    while time.monotonic() < deadline:
        try:
            status = exchange(through_socks(client.socks_port, host, timeout=10), "GET", path).status
            if status == expect:
                return
            failures.append(f"HTTP {status}")
        except OSError as error:
            failures.append(str(error))
        time.sleep(2)
    raise AssertionError(f"{host} not reachable within {timeout} s: {failures[-5:]}")


# -- client authorization keys ---------------------------------------------------------------

def x25519_keypair():
    """(public, private) raw 32-byte x25519 keys, as tor's client authorization files need them."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    raw = serialization.Encoding.Raw
    private_bytes = private.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public_bytes = private.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
    return public_bytes, private_bytes


def base32(raw):
    return base64.b32encode(raw).decode("ascii").rstrip("=")


# -- client authorization files (tor(1), CLIENT AUTHORIZATION) --------------------------------

SERVICE_LINE = re.compile(r"descriptor:x25519:[A-Z2-7]{52}")
CLIENT_LINE = re.compile(r"[a-z2-7]{56}:descriptor:x25519:[A-Z2-7]{52}")


def _write_private(path, line):
    path.write_text(line + "\n")
    path.chmod(0o600)


def authorize_client(service_dir, name, service_line):
    """Puts `service_line` (descriptor:x25519:<base32 public key>) into
    SERVICE_DIR/authorized_clients/NAME.auth, making the folders 0700 as tor wants them.
    Refuses a malformed line: tor would ignore that file and, without another, serve everyone."""
    if not SERVICE_LINE.fullmatch(service_line):
        raise ValueError(f"not a client authorization line for a service: {service_line!r}")
    folder = Path(service_dir) / "authorized_clients"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    Path(service_dir).chmod(0o700)
    _write_private(folder / f"{name}.auth", service_line)


def add_client_key(auth_dir, name, client_line):
    """Puts `client_line` (<address without .onion>:descriptor:x25519:<base32 private key>) into
    AUTH_DIR/NAME.auth_private, the folder a client tor's ClientOnionAuthDir names."""
    if not CLIENT_LINE.fullmatch(client_line):
        raise ValueError(f"not a client authorization line for a client: {client_line!r}")
    folder = Path(auth_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(folder / f"{name}.auth_private", client_line)


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
