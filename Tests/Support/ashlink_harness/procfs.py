"""The fields of /proc/PID/status."""

from pathlib import Path


def proc_status(pid):
    """The fields of /proc/PID/status, as a dict of stripped strings."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields
