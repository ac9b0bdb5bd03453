#!/usr/bin/env python3
"""Ashlink against Snappass on one machine, in one run: the driver behind `make bench`.

Python only orchestrates: it starts and stops the servers, reads /proc, runs `wrk` (the load
generator, with bench/flow.lua) and writes the report. The exactly-once race uses 50 raw
sockets released together by a barrier; it is a correctness probe, not a throughput figure.

    PYTHONPATH=Tests/Support /usr/bin/python3 bench/ashbench.py     # full run (~20 min), writes docs/benchmarks.md
    PYTHONPATH=Tests/Support /usr/bin/python3 bench/ashbench.py --quick --no-baseline --out-dir /tmp/x   # smoke

Every process started here is recorded and killed on exit, on error and on SIGINT/SIGTERM.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ashlink_harness.http_client import request
from ashlink_harness.ports import free_port
from ashlink_harness.procfs import proc_status
from ashlink_harness.server import DROP_ROOT

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "flow.lua"
SNAPPASS_VERSION = "1.6.2"
GUNICORN_VERSION = "27.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SECRET_BYTES = 32


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


# --- processes ---------------------------------------------------------------------------------

class Reaper:
    """Every process the bench starts, killed at exit (by pid / own process group only)."""

    def __init__(self):
        self.procs = []

    def start(self, args, **kwargs):
        kwargs.setdefault("start_new_session", True)
        proc = subprocess.Popen(args, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, proc, timeout=15):
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        try:  # leftovers of its own session (gunicorn workers), by its group id = its pid
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in list(reversed(self.procs)):
            try:
                self.stop(proc, timeout=5)
            except Exception as error:  # keep killing the rest
                log("could not stop", proc.pid, error)


REAPER = Reaper()


def http_status(port, path, timeout=1.0):
    try:
        return request(f"127.0.0.1:{port}", "GET", path, timeout=timeout).status
    except (OSError, http.client.HTTPException):  # not up yet, or not speaking HTTP yet
        return None


def wait_first_answer(proc, port, path, started, limit=30.0, log_path=None):
    """Seconds from `started` (monotonic) to the first 200 answer on `path`."""
    deadline = started + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = Path(log_path).read_text(errors="replace") if log_path else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: {text[-2000:]}")
        if http_status(port, path) == 200:
            return time.monotonic() - started
        time.sleep(0.0005)
    raise RuntimeError(f"{proc.args[0]} gave no answer within {limit} s")


def process_tree(pid):
    pids, todo = [], [pid]
    while todo and len(pids) < 256:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(x) for x in handle.read().split()]
        except OSError:
            pass
    return pids


def memory_kib(pids):
    total = {"VmRSS": 0, "VmHWM": 0, "VmLck": 0}
    for pid in pids:
        try:
            fields = proc_status(pid)
        except OSError:
            continue
        for key in total:
            if key in fields:
                total[key] += int(fields[key].split()[0])
    return total


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / CLK_TCK


# --- the systems -------------------------------------------------------------------------------

class Ashlink:
    def __init__(self, binary, mode, workdir, name):
        self.binary, self.mode, self.name = binary, mode, name
        base = Path(tempfile.mkdtemp(prefix=f"ashbench-{name}-", dir="/dev/shm" if mode == "ephemeral" else workdir))
        os.chmod(base, 0o755)
        self.home = base
        self.data_dir = base / "var"
        self.port = free_port()
        self.config = base / "ashlink.conf"
        self.config.write_text(
            f"storage = {mode}\n"
            "creates_per_minute = 10000000\n"
            "max_secrets = 5000000\n"
            "max_stored_bytes = 17179869184\n"
            "max_connections = 1024\n"
        )
        self.log_path = base / "server.log"
        self.proc = None

    def start(self):
        args = [self.binary, "serve", "--config", str(self.config), "--listen", f"127.0.0.1:{self.port}",
                "--data-dir", str(self.data_dir)] + DROP_ROOT
        log_file = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = REAPER.start(args, stdout=log_file, stderr=subprocess.STDOUT)
        log_file.close()
        self.startup = wait_first_answer(self.proc, self.port, "/api/v1/status", started, log_path=self.log_path)
        return self.startup

    def pids(self):
        return [self.proc.pid]

    def stop(self):
        if self.proc:
            REAPER.stop(self.proc)
            self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def stored(self):
        """Rows in the vault, read from the WAL database (read-only, while idle)."""
        db = next((p for p in self.data_dir.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))
                   and p.stat().st_size > 0 and _is_sqlite(p)), None)
        if db is None:
            return None, None
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            secrets = connection.execute("SELECT count(*) FROM secret").fetchone()[0]
            receipts = connection.execute("SELECT count(*) FROM receipt").fetchone()[0]
        finally:
            connection.close()
        return secrets, receipts

    def disk_bytes(self):
        return sum(p.stat().st_size for p in self.data_dir.rglob("*") if p.is_file())

    def create_secret(self, value):
        reply = request(f"127.0.0.1:{self.port}", "POST", "/api/v1/share", {"secret": value, "ttl": "3600"})
        return "/api/v1/secret/" + reply.json()["secret_key"]


def _is_sqlite(path):
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


class Snappass:
    def __init__(self, venv, workdir):
        self.venv = Path(venv)
        self.home = Path(tempfile.mkdtemp(prefix="ashbench-snappass-", dir=workdir))
        self.redis_port, self.port = free_port(), free_port()
        self.redis = self.gunicorn = None
        self.name = "snappass"

    def start_redis(self):
        # Debian's redis-server with its stock persistence defaults, on a private port and folder.
        started = time.monotonic()
        self.redis = REAPER.start(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                   "--dir", str(self.home), "--daemonize", "no", "--logfile", str(self.home / "redis.log")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = started + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.001)
        raise RuntimeError("redis-server did not answer")

    def start(self):
        if self.redis is None:
            self.start_redis()
        env = dict(os.environ, NO_SSL="True", REDIS_HOST="127.0.0.1", REDIS_PORT=str(self.redis_port))
        log_file = open(self.home / "gunicorn.log", "ab")
        started = time.monotonic()
        self.gunicorn = REAPER.start([str(self.venv / "bin" / "gunicorn"), "-w", "4", "-k", "sync",
                                      "-b", f"127.0.0.1:{self.port}", "snappass.main:app"],
                                     env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=self.home)
        log_file.close()
        self.startup = wait_first_answer(self.gunicorn, self.port, "/", started, log_path=self.home / "gunicorn.log")
        return self.startup

    def pids(self):
        pids = process_tree(self.gunicorn.pid) if self.gunicorn else []
        return pids + ([self.redis.pid] if self.redis else [])

    def gunicorn_pids(self):
        return process_tree(self.gunicorn.pid)

    def stop(self):
        if self.gunicorn:
            REAPER.stop(self.gunicorn)
            self.gunicorn = None

    def cleanup(self):
        self.stop()
        if self.redis:
            REAPER.stop(self.redis)
            self.redis = None
        shutil.rmtree(self.home, ignore_errors=True)

    def create_secret(self, value):
        reply = request(f"127.0.0.1:{self.port}", "POST", "/", {"password": value, "ttl": "Hour"},
                        headers={"Accept": "application/json"})
        link = reply.json()["link"]
        return "/" + link.split("/", 3)[3]


def ensure_snappass_venv(path):
    path = Path(path)
    gunicorn = path / "bin" / "gunicorn"
    marker = path / f".snappass-{SNAPPASS_VERSION}"
    if gunicorn.exists() and marker.exists():
        return path
    log("installing the baseline: snappass", SNAPPASS_VERSION, "+ gunicorn", GUNICORN_VERSION, "in", path)
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(path)], check=True, timeout=300)
    subprocess.run([str(path / "bin" / "pip"), "install", "-q", f"snappass=={SNAPPASS_VERSION}",
                    f"gunicorn=={GUNICORN_VERSION}"], check=True, timeout=600)
    marker.write_text("ok\n")
    return path


# --- the load generator ------------------------------------------------------------------------

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


# --- exactly-once race -------------------------------------------------------------------------

def race_trial(system, readers, marker):
    value = f"race{marker}z" + "r" * 16
    path = system.create_secret(value)
    if isinstance(system, Ashlink):
        body = b""
    else:
        body = b""
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{system.port}\r\nConnection: close\r\n"
               f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    socks = []
    try:
        for _ in range(readers):
            socks.append(socket.create_connection(("127.0.0.1", system.port), timeout=30))
        barrier = threading.Barrier(readers)
        answers = [b""] * readers

        def reader(i):
            try:
                barrier.wait(timeout=30)
                socks[i].sendall(request)
                # Read one whole answer, then close at once: gunicorn waits (2 s) for the client's
                # close before it takes the next connection, so reading to EOF would stall it.
                data = b""
                while True:
                    chunk = socks[i].recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    head, sep, body = data.partition(b"\r\n\r\n")
                    if sep:
                        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                        if length and len(body) >= int(length.group(1)):
                            break
                answers[i] = data
                socks[i].close()
            except (OSError, threading.BrokenBarrierError):
                answers[i] = b""

        workers = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        for sock in socks:
            sock.close()
    winners = sum(1 for a in answers if a.startswith(b"HTTP/1.1 200") and value.encode() in a)
    failed = sum(1 for a in answers if not a)
    return winners, failed


def race(system, trials, readers):
    counts, failed, t0 = [], 0, time.monotonic()
    for trial in range(trials):
        winners, lost = race_trial(system, readers, trial)
        counts.append(winners)
        failed += lost
    return {"trials": trials, "readers": readers, "exactly_one": sum(1 for c in counts if c == 1),
            "max_winners": max(counts) if counts else 0, "total_winners": sum(counts),
            "trials_leaking": sum(1 for c in counts if c > 1), "no_answer": failed, "seconds": time.monotonic() - t0}


# --- helpers -----------------------------------------------------------------------------------

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fdatasync_probe(directory, count=100):
    """Median latency of write(4 KiB)+fdatasync on the durable data directory's file system."""
    path = Path(directory) / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    samples = []
    try:
        block = os.urandom(4096)
        for i in range(count):
            t0 = time.perf_counter()
            os.pwrite(fd, block, (i % 16) * 4096)
            os.fdatasync(fd)
            samples.append(time.perf_counter() - t0)
    finally:
        os.close(fd)
        path.unlink()
    samples.sort()
    return {"p50_ms": samples[len(samples) // 2] * 1000, "p99_ms": samples[int(len(samples) * 0.99) - 1] * 1000}


def machine_info():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    try:
        distro = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), "?")
    except OSError:
        distro = "?"
    return {"cpu": model, "cores": os.cpu_count(), "mem_gib": round(mem / 1048576, 1), "kernel": platform.release(),
            "os": distro, "loadavg": open("/proc/loadavg").read().split()[:3]}


def tool_versions(venv):
    versions = {}
    for name, args in {"wrk": ["wrk", "-v"], "redis-server": ["redis-server", "--version"]}.items():
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=10)
            versions[name] = (out.stdout + out.stderr).strip().splitlines()[0][:80]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            versions[name] = "?"
    if venv:
        try:
            out = subprocess.run([str(Path(venv) / "bin" / "pip"), "list", "--format=freeze"], capture_output=True, text=True, timeout=60)
            versions["baseline"] = " ".join(l for l in out.stdout.split() if l.split("==")[0].lower() in ("snappass", "gunicorn", "flask", "redis", "cryptography"))
        except (OSError, subprocess.TimeoutExpired):
            pass
    return versions


def binary_sizes(binary, workdir):
    copy = Path(workdir) / "ashlink-stripped"
    shutil.copy(binary, copy)
    subprocess.run(["strip", "--strip-all", str(copy)], check=False, timeout=120)
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=30).stdout
    sizes = {"bytes": os.path.getsize(binary), "stripped_bytes": os.path.getsize(copy),
             "shared_libs": len([l for l in ldd.splitlines() if "=>" in l])}
    copy.unlink()
    return sizes


def profile(system, flow, conns, duration, workdir):
    """perf record (on-CPU, call graphs) and perf stat (syscall counts) of one running server
    during one wrk run: top symbols and libraries by self time, demangled; fsyncs per operation."""
    if shutil.which("perf") is None:
        return None
    data = Path(workdir) / f"perf-{system.name}-{flow}.data"
    counts = Path(workdir) / f"perf-{system.name}-{flow}.stat"
    events = "syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync,syscalls:sys_enter_pwrite64,syscalls:sys_enter_futex"
    pid = str(system.proc.pid)
    perf = REAPER.start(["perf", "record", "-F", "499", "-g", "-o", str(data), "-p", pid],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stat = REAPER.start(["perf", "stat", "-x", ",", "-e", events, "-o", str(counts), "-p", pid],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    try:
        result = run_wrk(system.name, system.port, flow, conns, duration, server_pids=system.pids())
    finally:
        for p in (perf, stat):
            p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
            REAPER.stop(p)

    def top(sort, limit):
        out = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", sort,
                              "--percent-limit", limit, "-g", "none"], capture_output=True, text=True, timeout=300).stdout
        return [l for l in out.splitlines() if l.strip() and not l.startswith("#")][:18]

    text = "\n".join(top("dso", "1") + [""] + top("sym", "0.7"))
    if shutil.which("swift"):
        try:
            text = subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            pass
    syscalls = {}
    try:
        for line in counts.read_text().splitlines():
            fields = line.split(",")
            if len(fields) > 2 and fields[0].strip().isdigit():
                syscalls[fields[2].split(":")[-1].replace("sys_enter_", "")] = int(fields[0])
    except OSError:
        pass
    data.unlink(missing_ok=True)
    return {"ops_per_s": result["ops_per_s"], "ops": result["ops"], "server_cpu_s": result["server_cpu_s"],
            "wall_s": result["wall_s"], "syscalls": syscalls,
            "per_op": {k: v / max(1, result["ops"]) for k, v in syscalls.items()},
            "top": [l[:160] for l in text.splitlines()]}


# --- the run -----------------------------------------------------------------------------------

SCENARIOS = [("create", "create"), ("web", "create + reveal, browser"), ("api", "create + reveal, API")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("ASHLINK_BINARY", str(ROOT / ".build-release" / "ashlink")))
    parser.add_argument("--quick", action="store_true", help="smoke mode: tiny durations and sizes, one run")
    parser.add_argument("--no-baseline", action="store_true", help="skip Snappass (no venv, no redis)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of every scenario (medians)")
    parser.add_argument("--duration", type=float, default=6, help="seconds per wrk run")
    parser.add_argument("--scaling", default="1000,100000,1000000", help="stored secrets for the reveal scaling runs")
    parser.add_argument("--race-trials", type=int, default=50)
    parser.add_argument("--race-readers", type=int, default=50)
    parser.add_argument("--starts", type=int, default=5, help="cold starts measured per system")
    parser.add_argument("--venv", default=str(ROOT / ".build" / "bench" / "snappass-venv"))
    parser.add_argument("--out-dir", default=str(ROOT / "docs"), help="where benchmarks.md and the PNG go")
    parser.add_argument("--json", default=None, help="raw results (default: OUT_DIR/benchmarks.json)")
    parser.add_argument("--conns", default="1,32", help="concurrency levels (wrk connections)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--report-from", default=None, metavar="JSON", help="only re-render the report from saved results")
    args = parser.parse_args(argv)
    if args.report_from:
        import report
        print(report.write(json.loads(Path(args.report_from).read_text()), Path(args.out_dir)))
        return None
    if args.quick:
        args.runs, args.duration, args.starts = 1, 1, 2
        args.race_trials, args.race_readers = min(args.race_trials, 5), min(args.race_readers, 10)
        args.scaling = "100,1000" if args.scaling == parser.get_default("scaling") else args.scaling
        args.no_profile = True
    duration = int(max(1, round(args.duration)))
    conns_list = [int(x) for x in args.conns.split(",") if x.strip()]
    scaling_sizes = [int(x) for x in args.scaling.split(",") if x.strip()]

    for tool in ["wrk"] + ([] if args.no_baseline else ["redis-server"]):
        if shutil.which(tool) is None:
            sys.exit(f"ashbench: `{tool}` is missing (apt-get install wrk redis-server gnuplot-nox)")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"ashbench: no ashlink binary at {args.binary} (make release)")

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="ashbench-"))
    os.chmod(workdir, 0o755)

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)

    venv = None if args.no_baseline else ensure_snappass_venv(args.venv)
    results = {"command": " ".join([Path(sys.executable).name, "bench/ashbench.py"] + (argv if argv is not None else sys.argv[1:])),
               "quick": args.quick, "repetitions": args.runs, "duration_s": duration, "machine_before": machine_info(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "tools": tool_versions(venv),
               "binary": {**binary_sizes(args.binary, workdir), "path": os.path.relpath(args.binary, ROOT)}}
    systems = {}
    t_begin = time.monotonic()
    try:
        # 1. cold starts, alternating
        starts = {"ashlink-durable": [], "ashlink-ephemeral": [], "snappass": [], "redis": []}
        idle = {}
        for i in range(args.starts):
            order = ["ashlink-durable", "ashlink-ephemeral"] + ([] if args.no_baseline else ["snappass"])
            for name in order[i % len(order):] + order[:i % len(order)]:
                if name == "snappass":
                    s = Snappass(venv, workdir)
                    starts["redis"].append(s.start_redis())
                    starts[name].append(s.start())
                else:
                    s = Ashlink(args.binary, name.split("-")[1], workdir, name)
                    starts[name].append(s.start())
                s.cleanup()
        results["startup_s"] = {k: median(v) for k, v in starts.items() if v}
        results["startup_all_s"] = starts
        log("start-up", results["startup_s"])

        # 2. long-lived servers for the load runs
        systems["ashlink-durable"] = Ashlink(args.binary, "durable", workdir, "ashlink-durable")
        systems["ashlink-ephemeral"] = Ashlink(args.binary, "ephemeral", workdir, "ashlink-ephemeral")
        if not args.no_baseline:
            systems["snappass"] = Snappass(venv, workdir)
        for s in systems.values():
            s.start()
        time.sleep(1.0)
        for name, s in systems.items():
            idle[name] = memory_kib(s.pids())
            if name == "snappass":
                idle["snappass-gunicorn"] = memory_kib(s.gunicorn_pids())
                idle["snappass-redis"] = memory_kib([s.redis.pid])
        results["idle_kib"] = idle
        results["fdatasync"] = fdatasync_probe(systems["ashlink-durable"].home)
        log("idle memory", idle, "fdatasync", results["fdatasync"])

        # 3. warm-up (not recorded)
        for name, s in systems.items():
            run_wrk(name, s.port, "api", 4, 1, server_pids=s.pids())

        # 4. the scenarios, alternating systems, rotating who goes first each run
        runs = []
        names = list(systems)
        for rep in range(args.runs):
            order = names[rep % len(names):] + names[:rep % len(names)]
            for flow, _ in SCENARIOS:
                for conns in conns_list:
                    for name in order:
                        s = systems[name]
                        r = run_wrk(name, s.port, flow, conns, duration, server_pids=s.pids())
                        r["rep"] = rep
                        runs.append(r)
                        log(f"run {rep + 1}/{args.runs} {name:17} {flow:6} c={conns:<2} {r['ops_per_s']:9.1f} ops/s "
                            f"p50 {r['p50_ms']:7.2f} ms p99 {r['p99_ms']:7.2f} ms req p99 {(r['req_p99_us'] or 0) / 1000:6.2f} ms "
                            f"wrk cpu {r['wrk_cpu_s']:.2f}s server cpu {r['server_cpu_s']:.2f}s unexpected {r['unexpected']}")
            for conns in conns_list:
                for name in [n for n in order if n.startswith("ashlink")]:
                    s = systems[name]
                    # Argon2-bound: at c=32 one flow waits seconds, so give it 3× the time (at least 3 s)
                    r = run_wrk(name, s.port, "pass", conns, max(3, duration * (3 if conns > 8 else 1)), server_pids=s.pids())
                    r["rep"] = rep
                    runs.append(r)
                    log(f"run {rep + 1}/{args.runs} {name:17} pass   c={conns:<2} {r['ops_per_s']:9.1f} ops/s p50 {r['p50_ms']:7.2f} ms p99 {r['p99_ms']:7.2f} ms")
        results["runs"] = runs
        results["peak_kib"] = {name: memory_kib(s.pids()) for name, s in systems.items()}
        if "snappass" in systems:
            results["peak_kib"]["snappass-gunicorn"] = memory_kib(systems["snappass"].gunicorn_pids())
            results["peak_kib"]["snappass-redis"] = memory_kib([systems["snappass"].redis.pid])

        # 5. exactly-once race, alternating trials
        races = {}
        race_names = [n for n in ("ashlink-durable", "ashlink-ephemeral", "snappass") if n in systems]
        partial = {n: [] for n in race_names}
        for chunk in range(5):
            for name in race_names:
                trials = args.race_trials // 5 + (1 if chunk < args.race_trials % 5 else 0)
                if trials:
                    partial[name].append(race(systems[name], trials, args.race_readers))
        for name, parts in partial.items():
            races[name] = {
                "trials": sum(p["trials"] for p in parts), "readers": args.race_readers,
                "exactly_one": sum(p["exactly_one"] for p in parts), "trials_leaking": sum(p["trials_leaking"] for p in parts),
                "max_winners": max(p["max_winners"] for p in parts), "total_winners": sum(p["total_winners"] for p in parts),
                "no_answer": sum(p["no_answer"] for p in parts), "seconds": sum(p["seconds"] for p in parts)}
        results["race"] = races
        log("race", races)

        # 6. profiles of the Ashlink hot paths (durable create at c=32: the fsync path)
        if not args.no_profile:
            results["profile"] = {}
            for label, name, flow in (("durable create c=32", "ashlink-durable", "create"),
                                      ("ephemeral create c=32", "ashlink-ephemeral", "create"),
                                      ("ephemeral API create + reveal c=32", "ashlink-ephemeral", "api")):
                try:
                    results["profile"][label] = profile(systems[name], flow, 32, duration, workdir)
                except Exception as error:  # a profile is a bonus: never lose the run for it
                    log("profile failed:", label, error)

        for s in list(systems.values()):
            s.cleanup()
        systems.clear()

        # 7. scaling: reveal cost against the number of stored secrets (ephemeral: seeding speed)
        scaling = []
        s = systems["scaling"] = Ashlink(args.binary, "ephemeral", workdir, "ashlink-scaling")
        s.start()
        seeded = 0
        for size in sorted(scaling_sizes):
            secrets, _ = s.stored()
            need = size - (secrets or 0)
            seed = {"seeded": 0, "seconds": 0.0, "per_s": None}
            if need > 0:
                t0 = time.monotonic()
                r = run_wrk("ashlink-ephemeral", s.port, "apicreate", 64, int(min(900, 30 + need / 500)), limit=need,
                            server_pids=s.pids())
                seed = {"seeded": r["ops"], "seconds": time.monotonic() - t0, "per_s": r["ops"] / max(1e-9, time.monotonic() - t0),
                        "unexpected": r["unexpected"]}
            secrets, receipts = s.stored()
            disk = s.disk_bytes()
            row = {"stored": secrets, "receipts": receipts, "disk_bytes": disk, "bytes_per_secret": disk / max(1, secrets),
                   "seed": seed, "rss_kib": memory_kib(s.pids())}
            for conns in conns_list:
                reps = [run_wrk("ashlink-ephemeral", s.port, "api", conns, duration, server_pids=s.pids()) for _ in range(args.runs)]
                row[f"c{conns}"] = {"reveal_p50_ms": median([r["reveal_p50_us"] for r in reps]) / 1000,
                                    "reveal_p99_ms": median([r["reveal_p99_us"] for r in reps]) / 1000,
                                    "flows_per_s": median([r["ops_per_s"] for r in reps])}
            scaling.append(row)
            log("scaling", size, json.dumps(row))
        results["scaling"] = scaling
        results["scaling_requested"] = scaling_sizes
        s.cleanup()
        systems.clear()
    finally:
        for s in list(systems.values()):
            try:
                s.cleanup()
            except Exception as error:
                log("cleanup:", error)
        REAPER.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    results["elapsed_s"] = time.monotonic() - t_begin
    results["machine_after"] = machine_info()
    if args.json:
        json_path = Path(args.json)
    elif out_dir.resolve() == (ROOT / "docs").resolve():
        json_path = ROOT / "bench" / "results" / "benchmarks.json"  # docs/ holds only the report and the plot
    else:
        json_path = out_dir / "benchmarks.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=1, sort_keys=True))
    import report  # bench/report.py
    summary = report.write(results, out_dir)
    print(summary)
    return results


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as stop:
        REAPER.stop_all()
        sys.exit(f"ashbench: interrupted ({stop})")
