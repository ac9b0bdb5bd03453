"""Smoke test of the benchmark harness (bench/ashbench.py + bench/flow.lua + bench/report.py).

Runs the real driver in --quick mode against the real `ashlink` binary, without the Snappass
baseline, for a few seconds, so that `make bench` cannot rot between full runs. No figure is
judged here: only that every scenario completes operations, that the race is exactly-once, and
that the report is written.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ashlink_harness.paths import BINARY, REPOSITORY, SUPPORT


def test_quick_bench_runs_every_scenario_and_writes_the_report():
    if shutil.which("wrk") is None:
        pytest.fail("wrk is missing: the bench smoke test needs Debian's `wrk` (make deps installs it)")
    assert os.access(BINARY, os.X_OK), f"no ashlink binary at {BINARY}"
    with tempfile.TemporaryDirectory(prefix="ashbench-smoke-") as out:
        completed = subprocess.run(
            [sys.executable, str(REPOSITORY / "bench" / "ashbench.py"), "--quick", "--no-baseline",
             "--binary", BINARY, "--hello-binary", str(Path(BINARY).with_name("bench-hello")),
             "--out-dir", out, "--conns", "4", "--scaling", "50,200"],
            capture_output=True, text=True, timeout=240, cwd=REPOSITORY,
            env=dict(os.environ, PYTHONPATH=str(SUPPORT)))  # as `make bench` runs it
        assert completed.returncode == 0, completed.stderr[-4000:]
        results = json.loads((Path(out) / "benchmarks.json").read_text())

        for system in ("ashlink-durable", "ashlink-ephemeral"):
            for flow in ("create", "web", "api", "pass"):
                runs = [r for r in results["runs"] if r["system"] == system and r["flow"] == flow]
                assert runs, (system, flow)
                assert all(r["ops"] > 0 for r in runs), (system, flow, runs)
                assert all(not r["unexpected"] for r in runs), (system, flow, [r["unexpected"] for r in runs])
                assert all(r["wrk_cpu_s"] > 0 for r in runs)
            race = results["race"][system]
            assert race["exactly_one"] == race["trials"] > 0, race
            assert results["idle_kib"][system]["VmRSS"] > 0
            assert results["startup_s"][system] > 0

        for system, flow in (("hello", "status"), ("ashlink-durable", "status"), ("ashlink-ephemeral", "status"),
                             ("ashlink-durable", "tip")):
            runs = [r for r in results["runs"] if r["system"] == system and r["flow"] == flow]
            assert runs and all(r["ops"] > 0 and not r["unexpected"] for r in runs), (system, flow, runs)

        assert [row["stored"] >= size for row, size in zip(results["scaling"], (50, 200))] == [True, True]
        assert all(row["c4"]["reveal_p50_ms"] > 0 for row in results["scaling"])

        report = (Path(out) / "benchmarks.md").read_text()
        assert "## Targets" in report and "Exactly-once" in report and "HTTP ceiling" in report
        if shutil.which("gnuplot"):
            assert (Path(out) / "benchmarks-throughput.png").stat().st_size > 1000
