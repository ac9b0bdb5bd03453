"""Fixtures that run the real `ashlink` binary on a real socket with a fresh data directory."""

import os
import tempfile
from pathlib import Path

import pytest

from ashlink_harness.server import Server


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
