"""What a client of an onion needs in the tests: waiting until an onion answers through a
client's SOCKS port, and the x25519 keys of tor's client authorization."""

import base64
import time

from ashlink_harness.http_client import exchange, through_socks


def wait_until_reachable(client, host, timeout=120):
    """Retries a small request every ~2 s with a short timeout until the onion answers: early
    tries fail while the descriptor is not uploaded yet or circuits are still being built."""
    deadline = time.monotonic() + timeout
    failures = []
    while time.monotonic() < deadline:
        try:
            status = exchange(through_socks(client.socks_port, host, timeout=10), "GET", "/api/v1/status").status
            if status == 200:
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
