"""The tipster's pages with the real binary: a tip posted as the form posts it is stored encrypted,
durably, and nowhere in plaintext; refusals store nothing; without recipients there is no tip page."""

import os
import secrets
import signal

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from ashlink_harness.server import Server, open_vault


@pytest.fixture
def inbox_config(workdir):
    """The server's inbox lines, from keys made as a newsroom makes them (the key stays in workdir)."""
    recipient = run_ashlink("inbox", "keygen", "--output", str(workdir / "newsroom.key"))
    verifier = run_ashlink("inbox", "access-token", "--output", str(workdir / "inbox.token"))
    assert recipient.returncode == 0 and verifier.returncode == 0, recipient.stderr + verifier.stderr
    return (f"inbox_recipients = {recipient.stdout.strip()}\n"
            f"inbox_listen = 127.0.0.1:{free_port()}\n"
            f"inbox_access = {verifier.stdout.strip()}\n")


def multipart(message, files=()):
    """The body a browser sends for the tip form, encoded here by hand: `(content_type, body)`."""
    boundary = "----ashlink-e2e-" + secrets.token_hex(12)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n").encode() + message + b"\r\n"
    for name, content in files or [("", b"")]:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def post_tip(server, message, files=()):
    content_type, body = multipart(message, files)
    return server.request("POST", "/tip", headers={"Content-Type": content_type}, body=body)


def stored_tips(data_dir):
    """How many tips are stored: finished uploads, as the inbox lists them."""
    with open_vault(data_dir) as vault:
        return vault.execute("SELECT count(*) FROM tip WHERE received_day IS NOT NULL").fetchone()[0]


def stored_age_files(data_dir):
    """Each stored tip's age file, its chunks in order."""
    with open_vault(data_dir) as vault:
        ids = [row[0] for row in vault.execute("SELECT id FROM tip WHERE received_day IS NOT NULL")]
        return [b"".join(row[0] for row in vault.execute("SELECT data FROM tip_chunk WHERE tip = ? ORDER BY seq", (tip,)))
                for tip in ids]


def marker():
    return "TIP-PLAINTEXT-MARKER-" + secrets.token_hex(8)


def assert_nowhere_in(data_dir, needles):
    """Every file under the data directory (vault.sqlite3, its -wal and -shm, anything else)."""
    found = []
    for root, _, names in os.walk(data_dir):
        for name in names:
            with open(os.path.join(root, name), "rb") as handle:
                content = handle.read()
            found += [(name, needle) for needle in needles if needle in content]
    assert not found, f"plaintext on disk: {found}"


def spellings(text):
    return [text.encode(), text.encode("utf-16-le"), text.encode().hex().encode()]


def test_a_tip_is_received_only_encrypted_and_survives_a_restart(start_server, workdir, inbox_config):
    server = start_server(config=inbox_config)
    form = server.request("GET", "/tip")
    assert form.status == 200 and 'enctype="multipart/form-data"' in form.text and "<script" not in form.text.lower()
    assert 'href="/tip"' in server.request("GET", "/").text

    text = marker() + " — the documents are in locker 12 ✓\r\n"
    reply = post_tip(server, text.encode())
    assert reply.status == 200, reply.text
    assert "Your tip has arrived" in reply.text and "encrypted for the newsroom" in reply.text
    assert reply.header("content-security-policy").startswith("default-src 'none'")
    assert reply.header("cache-control") == "no-store"
    assert stored_tips(server.data_dir) == 1
    assert_nowhere_in(server.data_dir, spellings(text))

    assert server.stop() == 0
    assert_nowhere_in(server.data_dir, spellings(text))
    server = start_server(config=inbox_config)
    assert stored_tips(server.data_dir) == 1
    assert_nowhere_in(server.data_dir, spellings(text))

    # What a journalist gets back: the stored age file decrypts to the message, byte for byte.
    [age_file] = stored_age_files(server.data_dir)
    (workdir / "tip.age").write_bytes(age_file)
    (workdir / "tips").mkdir()
    decrypted = run_ashlink("inbox", "decrypt", "--identity", str(workdir / "newsroom.key"), "--output", str(workdir / "tips"),
                            str(workdir / "tip.age"))
    assert decrypted.returncode == 0, decrypted.stderr
    assert (workdir / "tips" / "tip" / "message.txt").read_bytes() == text.encode()


def test_refused_tips_store_nothing(start_server, inbox_config):
    server = start_server(config=inbox_config + "inbox_max_tip_bytes = 65536\n")
    too_large = post_tip(server, b"x" * 70000)
    assert too_large.status == 413, too_large.text
    assert "64 KiB (65536 bytes)" in too_large.text

    # No Content-Length: the limit is enforced on the bytes as they are read.
    content_type, body = multipart(b"y" * 70000)
    connection = server.connection()
    connection.putrequest("POST", "/tip")
    connection.putheader("Content-Type", content_type)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    for start in range(0, len(body), 8192):
        piece = body[start:start + 8192]
        try:
            connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            break
    try:
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    streamed = connection.getresponse()
    assert streamed.status == 413 and b"65536 bytes" in streamed.read()
    connection.close()

    too_many = post_tip(server, b"see the files", files=[(f"{n}.pdf", b"%PDF-1.7") for n in range(21)])
    assert too_many.status == 413 and "the limit is 20 files" in too_many.text
    empty = post_tip(server, b"  \r\n")
    assert empty.status == 400 and "write something" in empty.text and "attach a file" in empty.text
    not_utf8 = post_tip(server, b"caf\xe9")
    assert not_utf8.status == 400 and "UTF-8" in not_utf8.text
    not_multipart = server.request("POST", "/tip", {"message": "a form-encoded tip"})
    assert not_multipart.status == 415
    broken = server.request("POST", "/tip", headers={"Content-Type": "multipart/form-data; boundary=x"}, body=b"--x\r\nnonsense")
    assert broken.status == 400 and "The form could not be read" in broken.text
    assert stored_tips(server.data_dir) == 0
    assert post_tip(server, b"room for this one").status == 200
    assert stored_tips(server.data_dir) == 1


def test_a_full_inbox_answers_503_and_keeps_what_it_has(start_server, inbox_config):
    server = start_server(config=inbox_config + "inbox_max_tips = 1\n")
    assert post_tip(server, b"the first tip").status == 200
    full = post_tip(server, b"the second tip")
    assert full.status == 503 and "inbox is full" in full.text
    assert stored_tips(server.data_dir) == 1


def test_a_kill_right_after_the_received_page_loses_nothing(workdir, inbox_config):
    data_dir = workdir / "var"
    server = Server(data_dir, config=inbox_config)
    assert post_tip(server, marker().encode()).status == 200
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    server.log.close()
    server = Server(data_dir, config=inbox_config)
    try:
        assert stored_tips(server.data_dir) == 1
    finally:
        assert server.stop() == 0


def test_without_recipients_there_is_no_tip_page(server):
    for method in ("GET", "POST"):
        reply = server.request(method, "/tip")
        assert reply.status == 404 and "tip inbox is not set up" in reply.text, method
    assert "/tip" not in server.request("GET", "/").text
