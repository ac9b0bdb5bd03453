"""One-shot commands, with their output captured as text."""

import subprocess

from .paths import BINARY


def run(command, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run(command, **kwargs)


def run_ashlink(*args, timeout=30):
    """`ashlink ARGS...` with the binary under test."""
    return run([BINARY, *args], timeout=timeout)
