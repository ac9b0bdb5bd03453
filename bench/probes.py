"""What the bench reads besides the load runs: the machine, the tools, the binary, the disk, and perf profiles."""

import os
import platform
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from loadgen import run_wrk
from procs import REAPER


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
