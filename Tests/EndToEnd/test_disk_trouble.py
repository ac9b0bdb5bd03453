"""A full or read-only data directory: a clear 503, a log line, no crash, no corruption, and recovery."""

import os
import subprocess

import pytest

from ashlink_harness.paths import BINARY
from ashlink_harness.server import DROP_ROOT


@pytest.fixture
def small_filesystem(workdir):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mount_point = workdir / "small"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(path):
    """Writes a file until the file system is full."""
    with open(path, "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass


def test_full_disk_gives_503_then_recovers(start_server, small_filesystem):
    server = start_server(data_dir=small_filesystem / "var")
    kept = server.request("POST", "/api/v1/share", {"secret": "created before the disk filled"}).json()
    fill(small_filesystem / "filler")

    refused = 0
    for attempt in range(20):
        reply = server.request("POST", "/api/v1/share", {"secret": "z" * 60000})
        assert reply.status in (200, 503), reply.status
        if reply.status == 503:
            refused += 1
            assert "try again later" in reply.json()["message"]
    assert refused > 0, "the full disk was never noticed"
    page = server.request("POST", "/share", {"secret": "z" * 60000})
    assert page.status == 503 and "try again later" in page.text
    assert server.process.poll() is None

    os.remove(small_filesystem / "filler")
    assert server.request("POST", "/api/v1/share", {"secret": "after the disk was freed"}).status == 200
    assert server.request("POST", f"/api/v1/secret/{kept['secret_key']}").json()["value"] == "created before the disk filled"
    assert server.stop() == 0
    assert "vault fault" in server.log_path.read_text()
    import sqlite3

    connection = sqlite3.connect(small_filesystem / "var" / "vault.sqlite3")
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_read_only_data_directory_is_refused_at_start_with_one_line(start_server, small_filesystem):
    server = start_server(data_dir=small_filesystem / "var")
    server.request("POST", "/api/v1/share", {"secret": "kept"})
    assert server.stop() == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)
    result = subprocess.run([BINARY, "serve", "--listen", "127.0.0.1:1", "--data-dir", str(small_filesystem / "var"), *DROP_ROOT],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ashlink: cannot open the vault"), result.stderr
