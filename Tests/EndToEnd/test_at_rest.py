"""Nothing in the data directory can be read without a link: no plaintext, no token, in any spelling."""

import os
import re

from conftest import token_encodings


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
    assert sorted(os.listdir(server.data_dir))[0].startswith("vault.sqlite3")
