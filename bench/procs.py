"""Processes the bench starts, and what /proc says of them; every one is killed on exit."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ashlink_harness.http_client import request
from ashlink_harness.procfs import proc_status

CLK_TCK = os.sysconf("SC_CLK_TCK")


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
