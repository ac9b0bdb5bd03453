"""`wrk` with bench/flow.lua: one run, its figures, and the CPU that it and the server used."""

import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from procs import REAPER, cpu_seconds

LUA = Path(__file__).resolve().parent / "flow.lua"
SECRET_BYTES = 32


def run_wrk(system, port, flow, conns, duration, limit=0, server_pids=(), timeout_s=30):
    threads = max(1, min(2, conns))
    args = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", f"{timeout_s}s",
            "--latency", "-s", str(LUA), f"http://127.0.0.1:{port}", "--",
            "ashlink" if system != "snappass" else "snappass", flow, str(SECRET_BYTES),
            str(math.ceil(limit / threads) if limit else 0)]
    marker_dir = None
    if limit:
        marker_dir = Path(tempfile.mkdtemp(prefix="ashbench-wrk-"))
        args.append(str(marker_dir / "done-"))
    server_cpu0 = cpu_seconds(server_pids)
    wall0 = time.monotonic()
    proc = REAPER.start(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_chunks = []
    reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    bound = wall0 + duration + timeout_s + 60
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if marker_dir is not None and len(list(marker_dir.iterdir())) >= threads:
            os.kill(proc.pid, signal.SIGINT)  # all threads reached the limit: wrk prints its summary and exits
            marker_dir, bound = None, time.monotonic() + 60
        if time.monotonic() > bound:
            REAPER.stop(proc)
            raise RuntimeError("wrk overran its time bound")
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if limit:
        shutil.rmtree(Path(args[-1]).parent, ignore_errors=True)
    REAPER.procs.remove(proc)
    reader.join(timeout=10)
    wall = time.monotonic() - wall0
    err = proc.stderr.read().decode(errors="replace")
    out = (out_chunks[0] if out_chunks else b"").decode(errors="replace")
    line = next((l for l in out.splitlines() if l.startswith("BENCHJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {err[-1500:]} {out[-1500:]}")
    result = json.loads(line[len("BENCHJSON "):])
    seconds = result["duration_us"] / 1e6
    result.update({
        "system": system, "flow": flow, "conns": conns, "wall_s": wall,
        "ops_per_s": result["ops"] / seconds if seconds else 0.0,
        "wrk_cpu_s": usage.ru_utime + usage.ru_stime,
        "server_cpu_s": cpu_seconds(server_pids) - server_cpu0,
    })
    # per-operation latency: the flow's own clock, or wrk's per-request one for single requests
    result["p50_ms"] = (result["op_p50_us"] if result["op_p50_us"] is not None else result["req_p50_us"] or 0) / 1000
    result["p99_ms"] = (result["op_p99_us"] if result["op_p99_us"] is not None else result["req_p99_us"] or 0) / 1000
    return result
