"""Bounded soak of the real binary: mixed create / reveal / burn / expire traffic for a fixed time,
sampling RSS, locked memory and the database size, failing on growth beyond the stated bounds.

    PYTHONPATH=Tests/Support /usr/bin/python3 Tests/Soak/soak.py [--seconds 600] [--workers 8]

Bounds (after a one-minute warm-up): the median RSS of the last third of the run may not exceed
that of the first third by more than max(16 MiB, 20 %), locked memory likewise; once every secret has expired and been swept, the database and its WAL must be
back within 1 MiB of their size before the load.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from ashlink_harness.procfs import proc_status
from ashlink_harness.server import Server

MIB = 1024 * 1024
CONFIG = """
min_ttl = 60
default_ttl = 60
sweep_interval_seconds = 5
creates_per_minute = 10000000
max_secrets = 1000000
max_stored_bytes = 4294967296
"""


def sample(server):
    fields = proc_status(server.process.pid)
    size = sum(f.stat().st_size for f in server.data_dir.iterdir() if f.name.startswith("vault.sqlite3"))
    return {
        "rss": int(fields["VmRSS"].split()[0]) * 1024,
        "locked": int(fields["VmLck"].split()[0]) * 1024,
        "db": size,
    }


def traffic(server, stop, counts, lock):
    rng = random.Random()
    pending = []
    while not stop.is_set():
        action = rng.random()
        try:
            if action < 0.5 or not pending:
                secret = "soak " + "x" * rng.randrange(1, 4000)
                fields = {"secret": secret, "ttl": "60"}
                if rng.random() < 0.05:
                    fields["passphrase"] = "pw"
                reply = server.request("POST", "/api/v1/share", fields)
                if reply.status == 200:
                    body = reply.json()
                    pending.append((body["secret_key"], body["metadata_key"], fields.get("passphrase", "")))
                key = "created"
            elif action < 0.8:
                secret_key, _, passphrase = pending.pop(rng.randrange(len(pending)))
                server.request("POST", f"/api/v1/secret/{secret_key}", {"passphrase": passphrase})
                key = "revealed"
            elif action < 0.9:
                _, metadata_key, _ = pending.pop(rng.randrange(len(pending)))
                server.request("POST", f"/api/v1/private/{metadata_key}/burn")
                key = "burned"
            else:
                key = "left to expire"
                pending.clear()
        except OSError:
            key = "errors"
        with lock:
            counts[key] = counts.get(key, 0) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--workers", type=int, default=8)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ashlink-soak-") as home:
        os.chmod(home, 0o755)
        server = Server(Path(home) / "var", config=CONFIG, home=home)
        try:
            baseline = sample(server)
            print(f"baseline: rss {baseline['rss'] / MIB:.1f} MiB, locked {baseline['locked'] / MIB:.1f} MiB, db {baseline['db'] / 1024:.0f} KiB")
            stop, lock, counts = threading.Event(), threading.Lock(), {}
            workers = [threading.Thread(target=traffic, args=(server, stop, counts, lock)) for _ in range(arguments.workers)]
            for worker in workers:
                worker.start()
            samples = []
            start = time.monotonic()
            while time.monotonic() - start < arguments.seconds:
                time.sleep(min(10, arguments.seconds))
                current = sample(server)
                current["t"] = time.monotonic() - start
                samples.append(current)
                print(f"t={current['t']:5.0f}s rss {current['rss'] / MIB:6.1f} MiB  locked {current['locked'] / MIB:6.1f} MiB  "
                      f"db {current['db'] / MIB:6.2f} MiB  {dict(counts)}", flush=True)
            stop.set()
            for worker in workers:
                worker.join()

            failures = []
            # Argon2 runs allocate and free 64 MiB each, so single samples spike; a leak shows as a
            # rising level, so compare the median of the first third after warm-up with the last third.
            warm = [s for s in samples if s["t"] >= 60] or samples
            third = max(1, len(warm) // 3)
            for measure in ("rss", "locked"):
                early = statistics.median(s[measure] for s in warm[:third])
                late = statistics.median(s[measure] for s in warm[-third:])
                bound = max(16 * MIB, early / 5)
                verdict = "ok" if late - early <= bound else "GROWTH"
                print(f"{measure}: median {early / MIB:.1f} MiB early, {late / MIB:.1f} MiB late, "
                      f"peak {max(s[measure] for s in warm) / MIB:.1f} MiB (bound +{bound / MIB:.0f} MiB): {verdict}")
                if verdict != "ok":
                    failures.append(measure)

            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                time.sleep(5)
                if sample(server)["db"] <= baseline["db"] + MIB:
                    break
            final = sample(server)["db"]
            verdict = "ok" if final <= baseline["db"] + MIB else "NOT RECLAIMED"
            print(f"database after everything expired: {final / 1024:.0f} KiB (baseline {baseline['db'] / 1024:.0f} KiB): {verdict}")
            if verdict != "ok":
                failures.append("database size")
            print("soak: " + ("passed" if not failures else "FAILED: " + ", ".join(failures)))
            return 1 if failures else 0
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
