#!/usr/bin/env python3
"""The tip inbox's attachments under load, as `make bench` measures them (never part of `make test`).

- Memory: the server's peak RSS (VmHWM) and locked memory (VmLck) when idle after one small tip,
  then after a tip of 200 MiB (one attachment) was uploaded: the rise must stay under 32 MiB,
  because an attachment is streamed through in chunks, never held whole. Every tip's codename
  costs one Argon2id run (64 MiB for a tenth of a second, whatever the tip's size), which the small
  tip puts into VmHWM first; the rise over a new server's idle figure is reported beside it.
- Throughput on loopback: a 100 MiB tip uploaded through POST /tip, then fetched by
  `ashlink inbox fetch` (timed to the durable file, and to the end of its run), beside the data disk's own sequential
  write rate (1 MiB writes then fsync) measured in the same run, and the server's CPU time
  (user + system) for the upload.

Each run starts a new server; with several runs (--runs, default 3) every figure is the median
of its runs, since the machine and its disk are shared and noisy.
The figures replace the "Tip attachments" section of docs/benchmarks.md (appended when missing).
Usage: tipbench.py --binary PATH [--runs N] [--out docs/benchmarks.md] [--workdir DIR]
"""

import argparse
import json
import os
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
from report_section import write_section
from systems import inbox_keys

MIB = 1024 * 1024
SECTION = "## Tip attachments (bench/tipbench.py)"


def kib(status, field):
    return int(status[field].split()[0])


def cpu_seconds(pid):
    """User and system time of the process so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    """`ashlink inbox fetch` of the stored tips into a fresh folder, as a journalist runs it:
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
    fetched = sum(tip.stat().st_size for tip in folder.glob("*.age"))
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
    recipient, verifier = inbox_keys(binary, workdir)
    inbox_port = free_port()
    config = (f"inbox_recipients = {recipient}\ninbox_listen = 127.0.0.1:{inbox_port}\ninbox_access = {verifier}\n"
              f"inbox_max_tip_bytes = {256 * MIB}\ninbox_max_stored_bytes = {2048 * MIB}\n")
    piece = os.urandom(MIB)
    server = Server(workdir / "var", config=config, home=workdir, command=[binary])
    try:
        time.sleep(1)
        fresh = proc_status(server.process.pid)
        upload(server, 64 * 1024, piece)
        idle = proc_status(server.process.pid)
        upload(server, 200 * MIB, piece)
        after = proc_status(server.process.pid)
        token_file = workdir / "journalist.token"
        fetch_with_cli(binary, inbox_port, token_file, workdir / "fetched")
        cpu_before = cpu_seconds(server.process.pid)
        upload_seconds = upload(server, 100 * MIB, piece)
        upload_cpu = cpu_seconds(server.process.pid) - cpu_before
        fetched, fetch_seconds, run_seconds = fetch_with_cli(binary, inbox_port, token_file, workdir / "fetched")
    finally:
        server.stop()
    return {
        "fresh_hwm_kib": kib(fresh, "VmHWM"), "idle_hwm_kib": kib(idle, "VmHWM"), "after_hwm_kib": kib(after, "VmHWM"),
        "idle_lck_kib": kib(idle, "VmLck"), "after_lck_kib": kib(after, "VmLck"),
        "hwm_rise_kib": kib(after, "VmHWM") - kib(idle, "VmHWM"), "lck_rise_kib": kib(after, "VmLck") - kib(idle, "VmLck"),
        "upload_mib_s": 100 / upload_seconds, "upload_cpu_s": upload_cpu, "fetch_mib_s": fetched / MIB / fetch_seconds,
        "fetch_run_mib_s": fetched / MIB / run_seconds,
        "fetched_bytes": fetched, "disk_mib_s": disk_write_rate(workdir),
    }


def medians(runs):
    """Each figure's median over the runs (the bytes fetched are the same in every run)."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def section(figures, binary, runs):
    rise = figures["hwm_rise_kib"] / 1024
    locked_rise = figures["lck_rise_kib"] / 1024

    def verdict(ok):
        return "met" if ok else "**missed**"

    return "\n".join([
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} with `{binary}`; data on the same disk as the probe; "
        "one attachment per tip, sent over loopback in 1 MiB pieces. The fetch is `ashlink inbox fetch` itself, timed "
        "until the tip's file is durable under its name; its whole run adds the acknowledgement, which deletes the tip "
        f"for good (every freed page zeroed, then a checkpoint). Medians of {runs} run{'s' if runs != 1 else ''}, "
        "each with a new server and its own disk probe.", "",
        "| figure | measured | goal | |", "|---|---|---|---|",
        f"| peak RSS (VmHWM) rise, 200 MiB tip, over idle after a small tip | {rise:.1f} MiB ({figures['idle_hwm_kib'] / 1024:.1f} → {figures['after_hwm_kib'] / 1024:.1f}) | < 32 MiB | {verdict(rise < 32)} |",
        f"| the same over a new server's idle (adds the codename's one Argon2id run, 64 MiB) | {(figures['after_hwm_kib'] - figures['fresh_hwm_kib']) / 1024:.1f} MiB ({figures['fresh_hwm_kib'] / 1024:.1f} → {figures['after_hwm_kib'] / 1024:.1f}) | – | |",
        f"| locked memory (VmLck) rise, 200 MiB tip | {locked_rise:.1f} MiB | < 32 MiB | {verdict(locked_rise < 32)} |",
        f"| upload, 100 MiB tip | {figures['upload_mib_s']:.0f} MiB/s | ≥ 100 MiB/s | {verdict(figures['upload_mib_s'] >= 100)} |",
        f"| server CPU for that upload (user + system) | {figures['upload_cpu_s']:.2f} s | – | |",
        f"| fetch, 100 MiB tip | {figures['fetch_mib_s']:.0f} MiB/s | ≥ 100 MiB/s | {verdict(figures['fetch_mib_s'] >= 100)} |",
        f"| `ashlink inbox fetch`'s whole run, acknowledgement included, 100 MiB tip | {figures['fetch_run_mib_s']:.0f} MiB/s | – | |",
        f"| the disk's sequential write (1 MiB writes + fsync) | {figures['disk_mib_s']:.0f} MiB/s | – | |",
        "", "An upload seals each attachment byte to the request's key into the staging, an unnamed file that is never "
        "synced, then re-encrypts it into the tip, which SQLite writes to its WAL and checkpoints into the database "
        "(docs/decisions/0012-tip-storage.md, 0014-streamed-attachments.md): the disk takes about twice the tip's size "
        "before the tip is answered, and the three ChaCha20-Poly1305 passes and SQLite's inserts take most of the CPU.", "",
    ])



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"))
    parser.add_argument("--workdir", help="a folder on the disk to measure (default: a temporary one under the repository)")
    args = parser.parse_args()
    root = Path(args.workdir) if args.workdir else Path(__file__).resolve().parents[1]
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tipbench-", dir=root) as folder:
            os.chmod(folder, 0o755)
            runs.append(measure(os.path.abspath(args.binary), Path(folder)))
        print(json.dumps(runs[-1]), flush=True)
    figures = medians(runs)
    print(json.dumps(figures, indent=2))
    write_section(Path(args.out), SECTION, section(figures, args.binary, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
