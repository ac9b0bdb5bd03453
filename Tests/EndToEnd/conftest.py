"""Fixtures that run the real `ashlink` binary on a real socket with a fresh data directory."""

import base64
import http.client
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from unix_http import UnixHTTPConnection

REPOSITORY = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ASHLINK_BINARY", str(REPOSITORY / ".build" / "debug" / "ashlink"))
# Started as root (as CI does), the server must be told whom to drop to; it refuses otherwise.
DROP_ROOT = ["--user", "nobody"] if os.geteuid() == 0 else []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status(pid):
    """The fields of /proc/PID/status, as a dict of stripped strings."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        import json

        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class Server:
    """One `ashlink serve` process. Speaks HTTP/1.1 without following redirects, like a test should."""

    def __init__(self, data_dir, listen=None, config=None, extra_args=(), home=None, command=None, drop_root=True):
        self.data_dir = Path(data_dir)
        home = Path(home) if home is not None else self.data_dir.parent
        self.port = None
        if listen is None:
            self.port = free_port()
            listen = f"127.0.0.1:{self.port}"
        self.listen = listen
        args = (command or [BINARY]) + ["serve", "--listen", listen, "--data-dir", str(self.data_dir)]
        if config is not None:
            config_path = home / "ashlink.conf"
            config_path.write_text(config)
            args += ["--config", str(config_path)]
        args += list(extra_args) + (DROP_ROOT if drop_root else [])
        self.log_path = home / "server.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_serving()

    def _wait_until_serving(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ashlink exited with {self.process.returncode}: {self.log_path.read_text()}")
            try:
                if self.request("GET", "/api/v1/status").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("ashlink did not start serving in time")

    def connection(self, timeout=30):
        if self.listen.startswith("unix:"):
            return UnixHTTPConnection(self.listen[len("unix:"):], timeout=timeout)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, fields=None, headers=None, body=None):
        headers = dict(headers or {})
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture
def workdir():
    with tempfile.TemporaryDirectory(prefix="ashlink-e2e-") as directory:
        os.chmod(directory, 0o755)
        yield Path(directory)


@pytest.fixture
def start_server(workdir):
    started = []

    def start(**kwargs):
        data_dir = kwargs.pop("data_dir", workdir / "var")
        server = Server(data_dir, home=workdir, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(start_server):
    return start_server()


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
