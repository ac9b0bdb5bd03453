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
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from loadgen import run_wrk
from probes import binary_sizes, fdatasync_probe, machine_info, median, profile, tool_versions
from procs import REAPER, log, memory_kib
from race import race
from systems import Ashlink, BareHummingbird, Snappass, build_bare_hummingbird, ensure_snappass_venv

ROOT = Path(__file__).resolve().parents[1]


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
    parser.add_argument("--no-ceiling", action="store_true", help="skip bare Hummingbird (no build of bench/hello)")
    parser.add_argument("--hello-binary", default=None, help="a built bench-hello (default: build it as the release is built)")
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
    hello = None
    hello_binary = None
    if args.hello_binary:
        hello_binary = args.hello_binary
    elif not args.no_ceiling:
        log("building bench/hello (bare Hummingbird) as the release is built")
        hello_binary = build_bare_hummingbird(ROOT)
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

        # 2. long-lived servers for the load runs; the durable one takes tips too
        systems["ashlink-durable"] = Ashlink(args.binary, "durable", workdir, "ashlink-durable", inbox=True)
        systems["ashlink-ephemeral"] = Ashlink(args.binary, "ephemeral", workdir, "ashlink-ephemeral")
        if not args.no_baseline:
            systems["snappass"] = Snappass(venv, workdir)
        for s in systems.values():
            s.start()
        if hello_binary:
            hello = BareHummingbird(hello_binary)
            hello.start()
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

        def measure(rep, name, s, flow, conns, seconds=duration):
            r = run_wrk(name, s.port, flow, conns, seconds, server_pids=s.pids())
            r["rep"] = rep
            runs.append(r)
            log(f"run {rep + 1}/{args.runs} {name:17} {flow:6} c={conns:<2} {r['ops_per_s']:9.1f} ops/s "
                f"p50 {r['p50_ms']:7.2f} ms p99 {r['p99_ms']:7.2f} ms req p99 {(r['req_p99_us'] or 0) / 1000:6.2f} ms "
                f"wrk cpu {r['wrk_cpu_s']:.2f}s server cpu {r['server_cpu_s']:.2f}s unexpected {r['unexpected']}")

        for rep in range(args.runs):
            order = names[rep % len(names):] + names[:rep % len(names)]
            ashlinks = [n for n in order if n.startswith("ashlink")]
            for flow, _ in SCENARIOS:
                for conns in conns_list:
                    for name in order:
                        measure(rep, name, systems[name], flow, conns)
            for conns in conns_list:
                for name in ashlinks:
                    # Argon2-bound: at c=32 one flow waits seconds, so give it 3× the time (at least 3 s)
                    measure(rep, name, systems[name], "pass", conns, max(3, duration * (3 if conns > 8 else 1)))
            # The HTTP ceiling: the bare route and each Ashlink's cheapest one, the same wrk settings.
            ceiling = ([("hello", hello)] if hello else []) + [(n, systems[n]) for n in ashlinks]
            ceiling = ceiling[rep % len(ceiling):] + ceiling[:rep % len(ceiling)]
            for conns in conns_list:
                for name, s in ceiling:
                    measure(rep, name, s, "status", conns)
            # Each tip runs Argon2id once for its codename: bound by it, like the passphrase flows.
            for conns in conns_list:
                measure(rep, "ashlink-durable", systems["ashlink-durable"], "tip", conns, max(3, duration))
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
                                      ("ephemeral API create + reveal c=32", "ashlink-ephemeral", "api"),
                                      ("ephemeral status c=32", "ashlink-ephemeral", "status")):
                try:
                    results["profile"][label] = profile(systems[name], flow, 32, duration, workdir)
                except Exception as error:  # a profile is a bonus: never lose the run for it
                    log("profile failed:", label, error)

        for s in list(systems.values()) + ([hello] if hello else []):
            s.cleanup()
        systems.clear()

        # 7. scaling: reveal cost against the number of stored secrets (ephemeral: seeding speed)
        scaling = []
        s = systems["scaling"] = Ashlink(args.binary, "ephemeral", workdir, "ashlink-scaling")
        s.start()
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
