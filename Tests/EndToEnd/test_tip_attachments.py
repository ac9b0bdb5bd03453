"""Attachments through the tip form with the real binary: a 5 MiB file comes back byte for byte
through `ashlink inbox fetch`, Debian's age and Debian's tar, under a safe name; limits and broken bodies
store nothing; an upload cut off by its client or by kill -9 leaves no row and no byte behind; the
staging is an unnamed file that holds only ciphertext."""

import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from ashlink_harness.server import Server, open_vault
from test_inbox_api import TIPS, Inbox, ask
from test_tip_page import assert_nowhere_in, stored_tips

AGE = shutil.which("age")
TAR = shutil.which("tar")


def form(parts):
    """A multipart body as a browser sends it: `parts` are (name, filename or None, bytes)."""
    boundary = "----ashlink-attach-" + secrets.token_hex(12)
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + ("" if filename is None else f'; filename="{filename}"')
        content_type = "" if filename is None else "\r\nContent-Type: application/pdf"
        body += f"--{boundary}\r\nContent-Disposition: {disposition}{content_type}\r\n\r\n".encode() + content + b"\r\n"
    return boundary, body + f"--{boundary}--\r\n".encode()


def post(server, boundary, body):
    return server.request("POST", "/tip", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, body=body)


def leftovers(data_dir):
    """Rows no journalist can see: unfinished uploads, and chunks of no finished tip."""
    with open_vault(data_dir) as vault:
        unfinished = vault.execute("SELECT count(*) FROM tip WHERE received_day IS NULL").fetchone()[0]
        orphans = vault.execute(
            "SELECT count(*), coalesce(sum(length(data)), 0) FROM tip_chunk"
            " WHERE tip NOT IN (SELECT id FROM tip WHERE received_day IS NOT NULL)").fetchone()
    return unfinished, orphans[0], orphans[1]


def staging_files(server):
    """The unnamed files the server holds open in its data directory, its stagings: /proc shows
    each as `DIR/#INODE (deleted)`, and its link opens it."""
    prefix = str(Path(server.data_dir).resolve()) + "/#"
    found = []
    for link in Path(f"/proc/{server.process.pid}/fd").iterdir():
        try:
            target = os.readlink(link)
        except OSError:
            continue
        if target.startswith(prefix) and target.endswith(" (deleted)"):
            found.append(link)
    return found


def staged_bytes(server):
    total = 0
    for link in staging_files(server):
        try:
            total += os.stat(link).st_size
        except OSError:
            pass
    return total


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def inbox(workdir):
    keys = workdir / "keys"
    keys.mkdir()
    return Inbox(keys)


@pytest.mark.skipif(AGE is None or TAR is None, reason="Debian's age and tar (make test installs them)")
def test_a_5_mib_file_comes_back_byte_for_byte_through_age_and_tar(start_server, inbox, workdir):
    listen = f"127.0.0.1:{free_port()}"
    server = start_server(config=inbox.config(listen))
    document = secrets.token_bytes(5 * 1024 * 1024)
    message = "the ledger, scanned " + secrets.token_hex(8)
    boundary, body = form([
        ("message", None, message.encode()),
        ("file", "../../ledger scan.bin", document),
        ("file", "LEDGER SCAN.bin", b"second"),
        ("file", "invoice\u202efdp.exe", b"rtl"),
        ("file", "n" * 10_000 + ".pdf", b"long"),
        ("file", "nul\x00led.txt", b"nul"),
    ])
    reply = post(server, boundary, body)
    assert reply.status == 200, reply.text
    assert "Your tip has arrived" in reply.text
    assert leftovers(server.data_dir) == (0, 0, 0), "the staging is gone once the tip is stored"
    assert_nowhere_in(server.data_dir, [document[4096:4160], document[-64:], message.encode()])

    [tip] = ask(listen, "GET", TIPS, token=inbox.token).json()["tips"]
    (workdir / "fetched").mkdir()
    fetched = run_ashlink("inbox", "fetch", "--server", f"http://{listen}", "--token-file", str(inbox.token_file),
                          "--output", str(workdir / "fetched"), timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    age_file = workdir / "fetched" / f"{tip['id']}.age"
    assert age_file.stat().st_size == tip["bytes"]
    assert ask(listen, "GET", TIPS, token=inbox.token).json()["tips"] == [], "fetched, then acknowledged"
    (workdir / "out").mkdir()
    plaintext = subprocess.run([AGE, "-d", "-i", str(inbox.identity), str(age_file)], capture_output=True, check=True).stdout
    subprocess.run([TAR, "-x", "-C", str(workdir / "out")], input=plaintext, check=True)
    extracted = sorted(str(path.relative_to(workdir / "out")) for path in (workdir / "out").rglob("*") if path.is_file())
    assert extracted == ["attachments/LEDGER SCAN-2.bin", "attachments/invoicefdp.exe", "attachments/ledger scan.bin",
                         "attachments/" + "n" * 96 + ".pdf", "attachments/nulled.txt", "message.txt", "reply-address.txt"]
    assert (workdir / "out" / "attachments" / "ledger scan.bin").read_bytes() == document
    assert (workdir / "out" / "attachments" / "LEDGER SCAN-2.bin").read_bytes() == b"second"
    assert (workdir / "out" / "message.txt").read_text() == message


def test_the_stored_size_shows_only_a_size_class(start_server, inbox):
    """3, 30 and 1,000 bytes more in a document of ~100 KB store the same length (its PADME class)."""
    listen = f"127.0.0.1:{free_port()}"
    server = start_server(config=inbox.config(listen))
    # With message.txt, reply-address.txt and the file's header, all four archives fall in one
    # 2 KiB class (102,912 to 103,936 bytes, padded to 104,448).
    sizes = [99_000, 99_003, 99_030, 100_000, 200_000]
    for size in sizes:
        boundary, body = form([("message", None, b"same words"), ("file", "scan.pdf", secrets.token_bytes(size))])
        assert post(server, boundary, body).status == 200
    stored = sorted(tip["bytes"] for tip in ask(listen, "GET", TIPS, token=inbox.token).json()["tips"])
    assert len(set(stored[:4])) == 1, f"one length for the four near sizes: {stored}"
    assert stored[4] > stored[0], "twice the size is another class"
    assert stored[0] > 100_000 + 5 * 512, "the class is at least the archive's length"


def test_limits_and_broken_bodies_store_nothing_and_the_server_keeps_serving(start_server, inbox, workdir):
    server = start_server(config=inbox.config(f"127.0.0.1:{free_port()}") + "inbox_max_files = 2\ninbox_max_tip_bytes = 2097152\n")
    cases = [
        ("three files", form([("file", f"{n}.pdf", b"%PDF") for n in range(3)]), 413, "the limit is 2 files"),
        ("over the tip limit", form([("file", "big.bin", b"b" * (2 * 1024 * 1024 + 1))]), 413, "2 MiB (2097152 bytes)"),
        ("a 1 MiB header line", ("b", b"--b\r\nX-Long: " + b"h" * (1024 * 1024 - 100) + b"\r\n\r\nx\r\n--b--\r\n"), 400, "too long"),
        ("a part without headers", ("b", b"--b\r\n\r\nx\r\n--b--\r\n"), 400, "The form could not be read"),
        ("a boundary never closed", ("b", b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n' + b"x" * 5000), 400,
         "closing boundary"),
        ("a body ending mid-part", ("b", b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nxx'), 400, "closing boundary"),
        ("10,000 empty parts", form([("message", None, b"x")] + [("file", "", b"")] * 10_000), 400, "The form could not be read"),
    ]
    for name, (boundary, body), status, text in cases:
        reply = post(server, boundary, body)
        assert reply.status == status, (name, reply.status, reply.text)
        assert text in reply.text, (name, reply.text)
        assert stored_tips(server.data_dir) == 0, name
        assert wait_for(lambda: leftovers(server.data_dir) == (0, 0, 0)), name
    boundary, body = form([("file", "fine.pdf", b"%PDF")])
    assert post(server, boundary, body).status == 200
    assert stored_tips(server.data_dir) == 1


def start_upload(server, size, block):
    """Sends the head and the first `size` bytes of a much larger file part, `block` over and over;
    returns the open connection."""
    boundary = "----ashlink-cut-" + secrets.token_hex(8)
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n'.encode()
    connection = server.connection()
    connection.putrequest("POST", "/tip")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + 50 * 1024 * 1024))
    connection.endheaders()
    connection.send(head)
    for _ in range(size // len(block)):
        connection.send(block)
    return connection


def test_a_client_gone_mid_upload_leaves_nothing(start_server, inbox):
    server = start_server(config=inbox.config(f"127.0.0.1:{free_port()}"))
    block = secrets.token_bytes(65536)
    connection = start_upload(server, 3 * 1024 * 1024, block)
    assert wait_for(lambda: staged_bytes(server) >= 2 * 1024 * 1024), "the staging holds the chunks that arrived"
    [staging] = staging_files(server)
    staged = staging.read_bytes()
    assert block[:64] not in staged and block[-64:] not in staged, "the staging holds ciphertext only"
    assert leftovers(server.data_dir) == (0, 0, 0), "nothing of it is in the database"
    connection.close()
    assert wait_for(lambda: staging_files(server) == []), "the staging is closed, and so freed"
    assert leftovers(server.data_dir) == (0, 0, 0)
    assert stored_tips(server.data_dir) == 0
    boundary, body = form([("message", None, b"still serving")])
    assert post(server, boundary, body).status == 200


def test_a_server_killed_mid_upload_leaves_nothing_after_the_next_start(workdir, inbox):
    config = inbox.config(f"127.0.0.1:{free_port()}")
    data_dir = workdir / "var"
    server = Server(data_dir, config=config)
    files = sorted(path.name for path in data_dir.iterdir())
    connection = start_upload(server, 3 * 1024 * 1024, secrets.token_bytes(65536))
    assert wait_for(lambda: staged_bytes(server) >= 2 * 1024 * 1024), "the staging holds the chunks that arrived"
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    server.log.close()
    connection.close()
    assert sorted(path.name for path in data_dir.iterdir()) == files, "the staging never had a name to leave behind"
    server = Server(data_dir, config=config)
    try:
        assert leftovers(data_dir) == (0, 0, 0)
        assert stored_tips(data_dir) == 0
    finally:
        assert server.stop() == 0
