"""One `ashlink serve` process on a real socket, with its own data directory, config and log."""

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from . import http_client
from .paths import BINARY
from .ports import free_port

# Started as root (as CI does), the server must be told whom to drop to; it refuses otherwise.
DROP_ROOT = ["--user", "nobody"] if os.geteuid() == 0 else []

# As systemd's unit starts it: user nobody, no groups, CAP_IPC_LOCK alone (needs root to set up).
AS_SERVICE_ACCOUNT = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all,+ipc_lock",
                      "--ambient-caps=+ipc_lock"]


def open_vault(data_dir):
    """The vault file, read-only, beside the running server (WAL readers never block its writer)."""
    return contextlib.closing(sqlite3.connect(f"file:{Path(data_dir) / 'vault.sqlite3'}?mode=ro", uri=True))


def reachable_copy(workdir):
    """The binary where an unprivileged user can execute it (a checkout may sit in a 0700 home)."""
    directory = workdir / "bin"
    directory.mkdir(mode=0o755, exist_ok=True)
    copy = directory / "ashlink"
    shutil.copy2(BINARY, copy)
    os.chmod(copy, 0o755)
    return copy


class Server:
    """Started on a free loopback port unless `listen` says otherwise ("HOST:PORT" or "unix:PATH").
    With `proxy_line` (for a config with proxy_protocol = on), every connection of `connection()`
    and `request()` opens with that PROXY line."""

    def __init__(self, data_dir, listen=None, config=None, extra_args=(), home=None, command=None, drop_root=True,
                 proxy_line=None):
        self.data_dir = Path(data_dir)
        self.proxy_line = proxy_line
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

    def count_rows(self, *tables):
        """How many rows `tables` hold together, read from the vault file beside the running server."""
        with open_vault(self.data_dir) as vault:
            return sum(vault.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables)

    def connection(self, timeout=30, proxy_line=None):
        return http_client.open_connection(self.listen, timeout, proxy_line or self.proxy_line)

    def request(self, method, path, fields=None, headers=None, body=None, proxy_line=None):
        return http_client.exchange(self.connection(proxy_line=proxy_line), method, path, fields, headers, body)

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
