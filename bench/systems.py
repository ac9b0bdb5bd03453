"""The systems under load: Ashlink (durable, ephemeral), Snappass with redis as the outside reference."""

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from ashlink_harness.http_client import request
from ashlink_harness.ports import free_port
from ashlink_harness.server import DROP_ROOT
from procs import REAPER, log, wait_first_answer, process_tree

SNAPPASS_VERSION = "1.6.2"
GUNICORN_VERSION = "27.0.1"


def inbox_keys(binary, folder):
    """A newsroom's recipient and a journalist's access verifier, made with the binary's own commands."""
    recipient = subprocess.run([binary, "inbox", "keygen", "--output", str(Path(folder) / "newsroom.key")],
                               capture_output=True, text=True, check=True).stdout.strip()
    verifier = subprocess.run([binary, "inbox", "access-token", "--output", str(Path(folder) / "journalist.token")],
                              capture_output=True, text=True, check=True).stdout.strip()
    return recipient, verifier


class ServerProcess:
    """One server process the bench started: what /proc is read for, and how it is stopped."""

    proc = None

    def pids(self):
        return [self.proc.pid]

    def stop(self):
        if self.proc:
            REAPER.stop(self.proc)
            self.proc = None


class Ashlink(ServerProcess):
    """`ashlink serve` with no limit in the way; with `inbox`, the tip line is open too."""

    def __init__(self, binary, mode, workdir, name, inbox=False):
        self.binary, self.mode, self.name = binary, mode, name
        base = Path(tempfile.mkdtemp(prefix=f"ashbench-{name}-", dir="/dev/shm" if mode == "ephemeral" else workdir))
        os.chmod(base, 0o755)
        self.home = base
        self.data_dir = base / "var"
        self.port = free_port()
        self.config = base / "ashlink.conf"
        config = (f"storage = {mode}\n"
                  "creates_per_minute = 10000000\n"
                  "max_secrets = 5000000\n"
                  "max_stored_bytes = 17179869184\n"
                  "max_connections = 1024\n"
                  # Passphrase flows and tips at c=32 wait for Argon2id in turn instead of being refused.
                  "argon2_max_waiting = 1024\n")
        if inbox:
            recipient, verifier = inbox_keys(binary, base)
            config += (f"inbox_recipients = {recipient}\ninbox_listen = 127.0.0.1:{free_port()}\n"
                       f"inbox_access = {verifier}\ninbox_max_tips = 1000000\n")
        self.config.write_text(config)
        self.log_path = base / "server.log"
        self.proc = None

    def start(self):
        args = [self.binary, "serve", "--config", str(self.config), "--listen", f"127.0.0.1:{self.port}",
                "--data-dir", str(self.data_dir)] + DROP_ROOT
        log_file = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = REAPER.start(args, stdout=log_file, stderr=subprocess.STDOUT)
        log_file.close()
        self.startup = wait_first_answer(self.proc, self.port, "/api/v1/status", started, log_path=self.log_path)
        return self.startup

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def stored(self):
        """Rows in the vault, read from the WAL database (read-only, while idle)."""
        db = next((p for p in self.data_dir.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))
                   and p.stat().st_size > 0 and _is_sqlite(p)), None)
        if db is None:
            return None, None
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            secrets = connection.execute("SELECT count(*) FROM secret").fetchone()[0]
            receipts = connection.execute("SELECT count(*) FROM receipt").fetchone()[0]
        finally:
            connection.close()
        return secrets, receipts

    def disk_bytes(self):
        return sum(p.stat().st_size for p in self.data_dir.rglob("*") if p.is_file())

    def create_secret(self, value):
        reply = request(f"127.0.0.1:{self.port}", "POST", "/api/v1/share", {"secret": value, "ttl": "3600"})
        return "/api/v1/secret/" + reply.json()["secret_key"]


class BareHummingbird(ServerProcess):
    """bench/hello: Hummingbird with one route and nothing else, the HTTP ceiling of the machine."""

    def __init__(self, binary):
        self.binary, self.name = binary, "hello"
        self.port = free_port()
        self.proc = None

    def start(self):
        started = time.monotonic()
        self.proc = REAPER.start([self.binary, str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.startup = wait_first_answer(self.proc, self.port, "/api/v1/status", started)
        return self.startup

    def cleanup(self):
        self.stop()


def build_bare_hummingbird(root):
    """Builds bench/hello as the release binary is built (same flags, same scratch path): its path."""
    out = Path(root) / ".build-release" / "bench-hello"
    subprocess.run([str(Path(root) / "packaging" / "build-release"), str(out), "bench-hello"], check=True, timeout=3600,
                   stdout=subprocess.DEVNULL)
    return str(out)


def _is_sqlite(path):
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


class Snappass:
    def __init__(self, venv, workdir):
        self.venv = Path(venv)
        self.home = Path(tempfile.mkdtemp(prefix="ashbench-snappass-", dir=workdir))
        self.redis_port, self.port = free_port(), free_port()
        self.redis = self.gunicorn = None
        self.name = "snappass"

    def start_redis(self):
        # Debian's redis-server with its stock persistence defaults, on a private port and folder.
        started = time.monotonic()
        self.redis = REAPER.start(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                   "--dir", str(self.home), "--daemonize", "no", "--logfile", str(self.home / "redis.log")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = started + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.001)
        raise RuntimeError("redis-server did not answer")

    def start(self):
        if self.redis is None:
            self.start_redis()
        env = dict(os.environ, NO_SSL="True", REDIS_HOST="127.0.0.1", REDIS_PORT=str(self.redis_port))
        log_file = open(self.home / "gunicorn.log", "ab")
        started = time.monotonic()
        self.gunicorn = REAPER.start([str(self.venv / "bin" / "gunicorn"), "-w", "4", "-k", "sync",
                                      "-b", f"127.0.0.1:{self.port}", "snappass.main:app"],
                                     env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=self.home)
        log_file.close()
        self.startup = wait_first_answer(self.gunicorn, self.port, "/", started, log_path=self.home / "gunicorn.log")
        return self.startup

    def pids(self):
        pids = process_tree(self.gunicorn.pid) if self.gunicorn else []
        return pids + ([self.redis.pid] if self.redis else [])

    def gunicorn_pids(self):
        return process_tree(self.gunicorn.pid)

    def stop(self):
        if self.gunicorn:
            REAPER.stop(self.gunicorn)
            self.gunicorn = None

    def cleanup(self):
        self.stop()
        if self.redis:
            REAPER.stop(self.redis)
            self.redis = None
        shutil.rmtree(self.home, ignore_errors=True)

    def create_secret(self, value):
        reply = request(f"127.0.0.1:{self.port}", "POST", "/", {"password": value, "ttl": "Hour"},
                        headers={"Accept": "application/json"})
        link = reply.json()["link"]
        return "/" + link.split("/", 3)[3]


def ensure_snappass_venv(path):
    path = Path(path)
    gunicorn = path / "bin" / "gunicorn"
    marker = path / f".snappass-{SNAPPASS_VERSION}"
    if gunicorn.exists() and marker.exists():
        return path
    log("installing the baseline: snappass", SNAPPASS_VERSION, "+ gunicorn", GUNICORN_VERSION, "in", path)
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(path)], check=True, timeout=300)
    subprocess.run([str(path / "bin" / "pip"), "install", "-q", f"snappass=={SNAPPASS_VERSION}",
                    f"gunicorn=={GUNICORN_VERSION}"], check=True, timeout=600)
    marker.write_text("ok\n")
    return path
