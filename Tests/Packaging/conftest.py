"""Fixtures for the package tests: find the built .deb, unpack it once per session.

The .deb comes from `make deb` (packaging/build-deb), which `make test` runs first. Without one,
the tests that need it skip with the reason; the tests of the files in packaging/ still run.
Override the file with ASHLINK_DEB=/path/to/ashlink_<version>_<arch>.deb.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from ashlink_harness.paths import find_deb


@pytest.fixture(scope="session")
def deb():
    path = find_deb()
    if path is None or not path.is_file():
        pytest.skip("no .deb built: run `make deb` (packaging/build-deb) first, or set ASHLINK_DEB")
    return path


@pytest.fixture(scope="session")
def unpacked(deb):
    """The package's tree (with DEBIAN/) under a world-traversable folder in /tmp, so that an
    unprivileged user can run the binary from it (a mode-700 home directory is not)."""
    folder = Path(tempfile.mkdtemp(prefix="ashlink-deb-", dir="/tmp"))
    os.chmod(folder, 0o755)
    root = folder / "root"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(root)], check=True)
    os.chmod(root, 0o755)
    yield root
    shutil.rmtree(folder, ignore_errors=True)
