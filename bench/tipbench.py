#!/usr/bin/env python3
"""The tip inbox's attachments under load, as `make bench` measures them (never part of `make test`).

- Memory: the server's peak RSS (VmHWM) and locked memory (VmLck) when idle, then after a tip of
  200 MiB (one attachment) was uploaded: the rise must stay under 32 MiB, because an attachment is
  streamed through in chunks, never held whole.
- Throughput on loopback: a 100 MiB tip uploaded through POST /tip, then fetched by
  `ashlink inbox fetch` (medians of RUNS rounds), beside the data disk's own sequential write
  rate (1 MiB writes then fsync) measured in the same run.

The figures replace the "Tip attachments" section of docs/benchmarks.md (appended when missing).
Usage: tipbench.py --binary PATH [--out docs/benchmarks.md] [--workdir DIR]
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ashlink_harness.ports import free_port
from ashlink_harness.procfs import proc_status
from ashlink_harness.server import Server

MIB = 1024 * 1024
SECTION = "## Tip attachments (bench/tipbench.py)"
# Upload and fetch runs of the 100 MiB tip; the figures are their medians.
RUNS = 3


def kib(status, field):
    return int(status[field].split()[0])


def keys(binary, folder):
    """A newsroom's recipient and a journalist's token, made with the binary's own commands."""
    recipient = subprocess.run([binary, "inbox", "keygen", "--output", str(folder / "newsroom.key")],
                               capture_output=True, text=True, check=True).stdout.strip()
    verifier = subprocess.run([binary, "inbox", "access-token", "--output", str(folder / "journalist.token")],
                              capture_output=True, text=True, check=True).stdout.strip()
    return recipient, verifier, folder / "journalist.token"


def upload(server, size, piece):
    """One tip of a single attachment of `size` bytes, sent in pieces; seconds from first byte to answer."""
    boundary = "----tipbench-" + secrets.token_hex(8)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\nbench\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = server.connection(timeout=600)
    connection.putrequest("POST", "/tip")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    started = time.monotonic()
    connection.send(head)
    sent = 0
    while sent < size:
        chunk = piece[:min(len(piece), size - sent)]
        connection.send(chunk)
        sent += len(chunk)
    connection.send(tail)
    reply = connection.getresponse()
    reply.read()
    elapsed = time.monotonic() - started
    connection.close()
    if reply.status != 200:
        raise RuntimeError(f"POST /tip answered {reply.status}")
    return elapsed


def fetch_with_cli(binary, inbox_port, token_file, folder):
    """`ashlink inbox fetch` of the one stored tip into a fresh folder, as a journalist runs it:
    (bytes, seconds until the file was durable under its name, seconds of the whole run). The
    run then acknowledges the tip, which deletes it for good (secure_delete and a checkpoint).
    The file's name appears only after its fsync and rename, so polling for it times the download."""
    folder.mkdir()
    started = time.monotonic()
    run = subprocess.Popen([binary, "inbox", "fetch", "--server", f"http://127.0.0.1:{inbox_port}",
                            "--token-file", str(token_file), "--output", str(folder)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    downloaded = None
    while run.poll() is None:
        if downloaded is None and any(folder.glob("*.age")):
            downloaded = time.monotonic() - started
        time.sleep(0.002)
    finished = time.monotonic() - started
    if run.returncode != 0:
        raise RuntimeError(f"ashlink inbox fetch exited {run.returncode}: {run.stderr.read().decode()}")
    [tip] = folder.glob("*.age")
    fetched = tip.stat().st_size
    shutil.rmtree(folder)
    return fetched, downloaded or finished, finished


def disk_write_rate(folder, size=256 * MIB):
    """MiB/s of 1 MiB sequential writes and one fsync, on the data directory's file system."""
    path = folder / "disk-probe.bin"
    block = os.urandom(MIB)
    started = time.monotonic()
    with open(path, "wb") as handle:
        for _ in range(size // MIB):
            handle.write(block)
        handle.flush()
        os.fsync(handle.fileno())
    elapsed = time.monotonic() - started
    path.unlink()
    return size / MIB / elapsed


def measure(binary, workdir):
    recipient, verifier, token_file = keys(binary, workdir)
    inbox_port = free_port()
    config = (f"inbox_recipients = {recipient}\ninbox_listen = 127.0.0.1:{inbox_port}\ninbox_access = {verifier}\n"
              f"inbox_max_tip_bytes = {256 * MIB}\ninbox_max_stored_bytes = {2048 * MIB}\n")
    piece = os.urandom(MIB)
    server = Server(workdir / "var", config=config, home=workdir, command=[binary])
    try:
        time.sleep(1)
        idle = proc_status(server.process.pid)
        upload(server, 200 * MIB, piece)
        after = proc_status(server.process.pid)
        fetch_with_cli(binary, inbox_port, token_file, workdir / "fetched")
        uploads, fetches, runs = [], [], []
        for _ in range(RUNS):
            uploads.append(100 / upload(server, 100 * MIB, piece))
            fetched, download, whole = fetch_with_cli(binary, inbox_port, token_file, workdir / "fetched")
            fetches.append(fetched / MIB / download)
            runs.append(fetched / MIB / whole)
    finally:
        server.stop()
    return {
        "idle_hwm_kib": kib(idle, "VmHWM"), "after_hwm_kib": kib(after, "VmHWM"),
        "idle_lck_kib": kib(idle, "VmLck"), "after_lck_kib": kib(after, "VmLck"),
        "upload_mib_s": statistics.median(uploads), "fetch_mib_s": statistics.median(fetches),
        "fetch_run_mib_s": statistics.median(runs),
        "fetched_bytes": fetched, "disk_mib_s": disk_write_rate(workdir),
    }


def section(figures, binary):
    rise = (figures["after_hwm_kib"] - figures["idle_hwm_kib"]) / 1024
    locked_rise = (figures["after_lck_kib"] - figures["idle_lck_kib"]) / 1024

    def verdict(ok):
        return "met" if ok else "**missed**"

    return "\n".join([
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} with `{binary}`; data on the same disk as the probe; "
        f"one attachment per tip, sent over loopback in 1 MiB pieces; upload and fetch are medians of {RUNS} runs. "
        "The fetch is `ashlink inbox fetch` itself, timed until the tip's file is durable under its name; "
        "its whole run adds the acknowledgement, which deletes the tip for good (every freed page zeroed, "
        "then a checkpoint: twice the tip's size written).", "",
        "| figure | measured | goal | |", "|---|---|---|---|",
        f"| peak RSS (VmHWM) rise, 200 MiB tip | {rise:.1f} MiB ({figures['idle_hwm_kib'] / 1024:.1f} → {figures['after_hwm_kib'] / 1024:.1f}) | < 32 MiB | {verdict(rise < 32)} |",
        f"| locked memory (VmLck) rise, 200 MiB tip | {locked_rise:.1f} MiB | < 32 MiB | {verdict(locked_rise < 32)} |",
        f"| upload, 100 MiB tip | {figures['upload_mib_s']:.0f} MiB/s | ≥ 100 MiB/s | {verdict(figures['upload_mib_s'] >= 100)} |",
        f"| fetch, 100 MiB tip | {figures['fetch_mib_s']:.0f} MiB/s | ≥ 100 MiB/s | {verdict(figures['fetch_mib_s'] >= 100)} |",
        f"| `ashlink inbox fetch`'s whole run, acknowledgement included, 100 MiB tip | {figures['fetch_run_mib_s']:.0f} MiB/s | – | |",
        f"| the disk's sequential write (1 MiB writes + fsync) | {figures['disk_mib_s']:.0f} MiB/s | – | |",
        "", "An upload writes each attachment byte twice (sealed to the request's key into the staging, then re-encrypted "
        "into the tip; docs/decisions/0014-streamed-attachments.md), so its ceiling is about half the disk's rate.", "",
    ])


def write_section(out, text):
    current = out.read_text() if out.exists() else ""
    pattern = re.compile(re.escape(SECTION) + r".*?(?=\n## |\Z)", re.S)
    updated = pattern.sub(lambda _: text.rstrip("\n"), current) if SECTION in current else current.rstrip("\n") + "\n\n" + text
    out.write_text(updated.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"))
    parser.add_argument("--workdir", help="a folder on the disk to measure (default: a temporary one under the repository)")
    args = parser.parse_args()
    root = Path(args.workdir) if args.workdir else Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="tipbench-", dir=root) as folder:
        os.chmod(folder, 0o755)
        figures = measure(os.path.abspath(args.binary), Path(folder))
    print(json.dumps(figures, indent=2))
    write_section(Path(args.out), section(figures, args.binary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
