"""The journalists' commands, run as a journalist would; keys checked with Debian's `age`."""

import io
import os
import shutil
import stat
import subprocess
import tarfile

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


def make_tip(workdir, recipient, members, name="k7q2tip"):
    """A tip as the server stores it: a ustar stream of `members` encrypted with Debian's age."""
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for member_name, data in members.items():
            info = tarfile.TarInfo(member_name)
            info.size, info.mode, info.mtime = len(data), 0o600, 0
            archive.addfile(info, io.BytesIO(data))
    tip = workdir / "fetched" / f"{name}.age"
    tip.parent.mkdir(exist_ok=True)
    tip.write_bytes(subprocess.run([AGE, "-r", recipient], input=stream.getvalue(), capture_output=True, check=True).stdout)
    return tip


@pytest.fixture
def newsroom(workdir):
    key = workdir / "newsroom.key"
    recipient = run_ashlink("inbox", "keygen", "--output", str(key)).stdout.strip()
    output = workdir / "tips"
    output.mkdir()
    return key, recipient, output


def decrypt(key, output, *tips):
    return run_ashlink("inbox", "decrypt", "--identity", str(key), "--output", str(output), *map(str, tips))


@pytest.mark.skipif(AGE is None, reason="Debian's age is not installed (make test installs it)")
def test_decrypt_gives_back_message_and_attachments(newsroom, workdir):
    key, recipient, output = newsroom
    report = bytes(range(256)) * 1000
    tip = make_tip(workdir, recipient, {"message.txt": "Названия, 名前 — the files\n".encode(), "attachments/report.pdf": report})
    result = decrypt(key, output, tip)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(output / "k7q2tip")
    assert (output / "k7q2tip" / "message.txt").read_text() == "Названия, 名前 — the files\n"
    assert (output / "k7q2tip" / "attachments" / "report.pdf").read_bytes() == report
    assert stat.S_IMODE(os.stat(output / "k7q2tip" / "message.txt").st_mode) == 0o600
    assert sorted(p.name for p in output.iterdir()) == ["k7q2tip"]
    again = decrypt(key, output, tip)
    assert again.returncode == 1 and "already exists" in again.stderr


@pytest.mark.skipif(AGE is None, reason="Debian's age is not installed (make test installs it)")
@pytest.mark.parametrize("damage", ["truncated", "wrong key", "unsafe name"])
def test_a_tip_that_does_not_decrypt_whole_leaves_nothing_behind(newsroom, workdir, damage):
    key, recipient, output = newsroom
    members = {"message.txt": b"x" * 200_000}
    if damage == "wrong key":
        recipient = run_ashlink("inbox", "keygen", "--output", str(workdir / "other.key")).stdout.strip()
    if damage == "unsafe name":
        members["../outside.txt"] = b"escape"
    tip = make_tip(workdir, recipient, members)
    if damage == "truncated":
        tip.write_bytes(tip.read_bytes()[:-1000])
    result = decrypt(key, output, tip)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ashlink: inbox decrypt: {tip}: "), result.stderr
    assert list(output.iterdir()) == []
    assert not (workdir / "outside.txt").exists()


@pytest.mark.skipif(AGE is None, reason="Debian's age is not installed (make test installs it)")
def test_a_decrypt_killed_halfway_is_finished_by_the_next_run(newsroom, workdir):
    key, recipient, output = newsroom
    tip = make_tip(workdir, recipient, {"message.txt": b"whole at last\n"})
    # What a killed run leaves: its hidden folder, half full, a link in it to something it must not touch.
    keep = workdir / "keep.txt"
    keep.write_text("not the tip's")
    partial = output / ".k7q2tip.partial"
    (partial / "attachments" / "deep").mkdir(parents=True)
    (partial / "message.txt").write_bytes(b"half")
    (partial / "attachments" / "deep" / "part.bin").write_bytes(b"\0" * 4096)
    (partial / "attachments" / "link").symlink_to(keep)
    result = decrypt(key, output, tip)
    assert result.returncode == 0, result.stderr
    assert (output / "k7q2tip" / "message.txt").read_bytes() == b"whole at last\n"
    assert sorted(p.name for p in output.iterdir()) == ["k7q2tip"]
    assert keep.read_text() == "not the tip's", "a link in the leftover folder is removed, never followed"
