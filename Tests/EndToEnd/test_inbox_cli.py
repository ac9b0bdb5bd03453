"""The journalists' commands, run as a journalist would; keys checked with Debian's `age`."""

import os
import shutil
import stat
import subprocess

import pytest

from ashlink_harness.commands import run_ashlink

AGE = shutil.which("age")


@pytest.mark.skipif(AGE is None, reason="Debian's age is not installed (make test installs it)")
def test_keygen_makes_an_identity_that_debians_age_decrypts_with(workdir):
    key = workdir / "newsroom.key"
    made = run_ashlink("inbox", "keygen", "--output", str(key))
    assert made.returncode == 0, made.stderr
    recipient = made.stdout.strip()
    assert recipient.startswith("age1") and len(recipient.splitlines()) == 1
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert f"# public key: {recipient}\n" in key.read_text()

    encrypted = subprocess.run([AGE, "-r", recipient], input=b"a tip for the newsroom\n", capture_output=True, check=True).stdout
    decrypted = subprocess.run([AGE, "-d", "-i", str(key)], input=encrypted, capture_output=True, check=True).stdout
    assert decrypted == b"a tip for the newsroom\n"


def test_keygen_never_replaces_an_existing_key(workdir):
    key = workdir / "newsroom.key"
    assert run_ashlink("inbox", "keygen", "--output", str(key)).returncode == 0
    before = key.read_bytes()
    again = run_ashlink("inbox", "keygen", "--output", str(key))
    assert again.returncode == 1
    assert again.stdout == ""
    assert again.stderr.strip().splitlines() == [f"ashlink: inbox keygen: {key}: already exists: refusing to overwrite it"]
    assert key.read_bytes() == before


def test_access_token_file_stays_with_the_journalist_and_only_its_verifier_is_printed(workdir):
    token_file = workdir / "inbox.token"
    made = run_ashlink("inbox", "access-token", "--output", str(token_file))
    assert made.returncode == 0, made.stderr
    verifier = made.stdout.strip()
    token = token_file.read_text().strip()
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    assert verifier.startswith("ashlink-access-v1-") and len(verifier.splitlines()) == 1
    assert token not in verifier and len(token) == 52
    second = run_ashlink("inbox", "access-token", "--output", str(workdir / "other.token"))
    assert second.stdout.strip() != verifier
    assert run_ashlink("inbox", "access-token", "--output", str(token_file)).returncode == 1
