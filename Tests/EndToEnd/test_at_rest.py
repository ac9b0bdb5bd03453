"""Nothing in the data directory can be read without a link: no plaintext, no token, in any spelling."""

import base64
import os
import re


def token_bytes(text):
    """Decodes a link token (unpadded lowercase base32) into its 32 raw bytes."""
    padded = text.upper() + "=" * (-len(text) % 8)
    return base64.b32decode(padded)[:32]


def token_encodings(text):
    """Every spelling of a token that could plausibly end up on disk."""
    raw = token_bytes(text)
    spellings = {
        text.encode(),
        text.upper().encode(),
        raw,
        raw.hex().encode(),
        raw.hex().upper().encode(),
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
    }
    # A prefix long enough to be unique is as bad as the whole token.
    spellings |= {s[:16] for s in list(spellings)}
    return spellings


def files_in(directory):
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                yield path, handle.read()


def assert_absent(directory, needles):
    found = []
    for path, content in files_in(directory):
        for needle in needles:
            if needle in content:
                found.append((path, needle))
    assert not found, f"found on disk: {found[:5]}"


def test_no_plaintext_and_no_token_on_disk(server):
    plaintexts, tokens = [], []
    for index in range(30):
        secret = f"PLAINTEXT-MARKER-{index:03d}-the informant meets at dawn"
        passphrase = f"PASSPHRASE-MARKER-{index:03d}" if index % 3 == 0 else ""
        created = server.request("POST", "/api/v1/share", {"secret": secret, "passphrase": passphrase}).json()
        plaintexts += [secret.encode(), secret.encode("utf-16-le")]
        if passphrase:
            plaintexts.append(passphrase.encode())
        tokens += [created["secret_key"], created["metadata_key"]]
        if index % 3 == 1:
            server.request("POST", f"/api/v1/secret/{created['secret_key']}", {"passphrase": passphrase})
        elif index % 3 == 2:
            server.request("POST", f"/api/v1/private/{created['metadata_key']}/burn")
    form = server.request("POST", "/share", {"secret": "PLAINTEXT-MARKER-FORM sent by a browser"})
    plaintexts.append(b"PLAINTEXT-MARKER-FORM")
    receipt = form.header("location").rsplit("/", 1)[1]
    tokens.append(receipt)
    tokens += re.findall(r"/secret/([a-z2-7]{52})", server.request("GET", form.header("location")).text)
    generated = server.request("POST", "/api/v1/generate").json()
    plaintexts.append(generated["value"].encode())
    tokens += [generated["secret_key"], generated["metadata_key"]]

    needles = set(plaintexts)
    for token in tokens:
        needles |= token_encodings(token)
    assert_absent(server.data_dir, needles)  # while running: database, WAL and shared memory
    server.stop()
    assert_absent(server.data_dir, needles)  # and after a clean stop
    assert "vault.sqlite3" in os.listdir(server.data_dir)
