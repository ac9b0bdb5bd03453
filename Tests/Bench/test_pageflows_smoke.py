"""Smoke test of bench/pageflows.py against the real binary, on loopback only (no Tor): the flows
complete, a page is one request (no subresource, docs/decisions/0025-inline-styles.md), and the
section is written into the report without touching the rest of it."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ashlink_harness.paths import BINARY, REPOSITORY, SUPPORT


def test_pageflows_counts_one_request_per_page_and_writes_its_section():
    assert os.access(BINARY, os.X_OK), f"no ashlink binary at {BINARY}"
    with tempfile.TemporaryDirectory(prefix="pageflows-smoke-") as out:
        report = Path(out) / "benchmarks.md"
        report.write_text("# Benchmarks\n\n## Tip attachments (bench/tipbench.py)\n\nkept\n")
        completed = subprocess.run(
            [sys.executable, str(REPOSITORY / "bench" / "pageflows.py"), "--binary", BINARY, "--runs", "1",
             "--out", str(report), "--json", str(Path(out) / "flows.json")],
            capture_output=True, text=True, timeout=240, cwd=REPOSITORY,
            env=dict(os.environ, PYTHONPATH=str(SUPPORT)))
        assert completed.returncode == 0, completed.stderr[-4000:]
        flows = json.loads((Path(out) / "flows.json").read_text())["flows"]
        assert (flows["secret"]["navigations"], flows["tip"]["navigations"]) == (5, 2)
        for name, flow in flows.items():
            assert flow["subresources"] == 0 and flow["requests"] == flow["navigations"], (name, flow["requests_detail"])
            assert 0 < flow["largest_answer_bytes"] <= 8192 + 1024, name  # a page and its headers
            assert [record[3] for record in flow["requests_detail"]] == ([200, 303, 200, 200, 200] if name == "secret" else [200, 200])
        text = report.read_text()
        assert "## Requests and bytes per flow (bench/pageflows.py)" in text and "| secret | 5 |" in text
        assert "## Tip attachments (bench/tipbench.py)\n\nkept" in text
