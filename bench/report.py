"""Writes docs/benchmarks.md and docs/benchmarks-throughput.png from the bench's results."""

import shutil
import statistics
import subprocess
from pathlib import Path

import report_ceiling

NAMES = {"snappass": "Snappass", "ashlink-durable": "Ashlink durable", "ashlink-ephemeral": "Ashlink ephemeral"}
FLOWS = {"create": "create", "web": "create + reveal (browser)", "api": "create + reveal (API)",
         "pass": "passphrase create + reveal (API)"}


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=1):
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def mib(kib):
    return kib / 1024 if kib is not None else None


def cells(results, name, flow, conns):
    return [r for r in results.get("runs", []) if r["system"] == name and r["flow"] == flow and r["conns"] == conns]


def summary_rows(results):
    rows = []
    for flow in FLOWS:
        for conns in sorted({r["conns"] for r in results.get("runs", [])}):
            for name in NAMES:
                runs = cells(results, name, flow, conns)
                if not runs:
                    continue
                base = {r["rep"]: r for r in cells(results, "snappass", flow, conns)}
                ratios = [r["ops_per_s"] / base[r["rep"]]["ops_per_s"] for r in runs
                          if name != "snappass" and r["rep"] in base and base[r["rep"]]["ops_per_s"] > 0]
                wrk_cpu = sum(r["wrk_cpu_s"] for r in runs)
                server_cpu = sum(r["server_cpu_s"] for r in runs)
                rows.append({
                    "flow": flow, "conns": conns, "name": name,
                    "ops": med([r["ops_per_s"] for r in runs]),
                    "p50": med([r["p50_ms"] for r in runs]), "p99": med([r["p99_ms"] for r in runs]),
                    "req_p99": med([(r["req_p99_us"] or 0) / 1000 for r in runs]),
                    "ratio": med(ratios) if ratios else None,
                    "wrk_share": wrk_cpu / (wrk_cpu + server_cpu) if wrk_cpu + server_cpu > 0 else None,
                    "errors": sum(r["errors"]["status"] + r["errors"]["timeout"] + r["errors"]["connect"] for r in runs),
                    "unexpected": sum(sum(r["unexpected"].values()) for r in runs),
                })
    return rows


def find(rows, flow, conns, name):
    return next((r for r in rows if r["flow"] == flow and r["conns"] == conns and r["name"] == name), None)


def targets(results, rows):
    checks = []

    def check(label, value, goal, ok, unit=""):
        if value is None:
            checks.append((label, "not measured", goal, "–"))
        else:
            checks.append((label, f"{fmt(value, 2)}{unit}", goal, "met" if ok(value) else "**missed**"))

    for name, goal in (("ashlink-durable", 10), ("ashlink-ephemeral", 20)):
        r = find(rows, "create", 32, name)
        check(f"{NAMES[name]} create c=32 vs Snappass", r and r["ratio"], f"≥ {goal}×", lambda v, g=goal: v >= g, "×")
    for flow in ("web", "api"):
        for name in ("ashlink-durable", "ashlink-ephemeral"):
            r = find(rows, flow, 32, name)
            check(f"{NAMES[name]} {FLOWS[flow]} c=32 vs Snappass", r and r["ratio"], "≥ 10×", lambda v: v >= 10, "×")
    worst = max((r["req_p99"] for r in rows if r["conns"] == 32 and r["name"] != "snappass" and r["flow"] != "pass"), default=None)
    check("Ashlink worst per-request p99 at c=32 (no passphrase)", worst, "≤ 10 ms", lambda v: v <= 10, " ms")
    idle = results.get("idle_kib", {})
    ash_idle = max((mib(idle[n]["VmRSS"]) for n in ("ashlink-durable", "ashlink-ephemeral") if n in idle), default=None)
    check("Ashlink idle RSS", ash_idle, "≤ 32 MiB", lambda v: v <= 32, " MiB")
    if "snappass" in idle and ash_idle:
        check("Snappass idle RSS / Ashlink idle RSS", mib(idle["snappass"]["VmRSS"]) / ash_idle, "≥ 8×", lambda v: v >= 8, "×")
    start = results.get("startup_s", {})
    ash_start = max((start[n] for n in ("ashlink-durable", "ashlink-ephemeral") if n in start), default=None)
    check("Ashlink start to first answer", ash_start and ash_start * 1000, "≤ 50 ms", lambda v: v <= 50, " ms")
    stripped = results.get("binary", {}).get("stripped_bytes")
    check("Ashlink release binary, stripped", stripped and stripped / 1048576, "≤ 30 MiB", lambda v: v <= 30, " MiB")
    scaling = results.get("scaling", [])
    if len(scaling) >= 2 and scaling[0].get("c1", {}).get("reveal_p50_ms"):
        ratio = scaling[-1]["c1"]["reveal_p50_ms"] / scaling[0]["c1"]["reveal_p50_ms"]
        check(f"reveal p50 at {scaling[-1]['stored']:,} stored / at {scaling[0]['stored']:,}", ratio, "≤ 1.2×", lambda v: v <= 1.2, "×")
    return checks


def plot(rows, out_dir):
    """Clustered bars: throughput and p99 at c=32 for both systems (gnuplot, log scale)."""
    data = out_dir / "benchmarks-plot.dat"
    png = out_dir / "benchmarks-throughput.png"
    lines = ["# scenario snappass_ops durable_ops ephemeral_ops snappass_p99 durable_p99 ephemeral_p99"]
    for flow in ("create", "web", "api"):
        for conns in sorted({r["conns"] for r in rows}):
            vals = [find(rows, flow, conns, n) for n in NAMES]
            if all(v is None for v in vals):
                continue
            ops = [f"{v['ops']:.2f}" if v and v["ops"] else "NaN" for v in vals]
            p99 = [f"{v['p99']:.3f}" if v and v["p99"] else "NaN" for v in vals]
            lines.append(f'"{ {"create": "create", "web": "browser RT", "api": "API RT"}[flow]} c={conns}" ' + " ".join(ops + p99))
    data.write_text("\n".join(lines) + "\n")
    if shutil.which("gnuplot") is None:
        data.unlink()
        return None
    script = f"""
set terminal pngcairo size 1200,520 font ",10"
set output "{png}"
set multiplot layout 1,2 title "Ashlink vs Snappass 1.6.2 (same machine, same run; medians)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set xtics rotate by -25
set key top right
set title "throughput (operations/s, log)"
plot "{data}" using 2:xtic(1) title "Snappass" lc rgb "#888888", "" using 3 title "Ashlink durable" lc rgb "#1f5fa8", "" using 4 title "Ashlink ephemeral" lc rgb "#5fa81f"
set title "p99 latency per operation (ms, log)"
plot "{data}" using 5:xtic(1) title "Snappass" lc rgb "#888888", "" using 6 title "Ashlink durable" lc rgb "#1f5fa8", "" using 7 title "Ashlink ephemeral" lc rgb "#5fa81f"
unset multiplot
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True, timeout=120, capture_output=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        png = None
    data.unlink(missing_ok=True)
    return png


def write(results, out_dir):
    out_dir = Path(out_dir)
    rows = summary_rows(results)
    png = plot(rows, out_dir)
    checks = targets(results, rows) + report_ceiling.checks(results)
    m, m2 = results["machine_before"], results.get("machine_after", {})
    out = []
    w = out.append
    w("# Benchmarks: Ashlink against Snappass\n")
    w("Generated by `make bench` (bench/ashbench.py, load by `wrk` with bench/flow.lua); do not edit by hand.\n")
    if results.get("quick"):
        w("**Quick smoke run: figures are not meaningful.**\n")
    w(f"- Run: {results['started']}, {results.get('repetitions') or 1 + max((r['rep'] for r in results.get('runs', [])), default=0)} run(s) of {results['duration_s']} s per scenario and system (passphrase at c=32: 3×), "
      f"systems alternated (first system rotates each run); figures are medians, ratios are computed run by run "
      f"(Ashlink run *i* / Snappass run *i*) and then the median taken. Whole bench: {results.get('elapsed_s', 0) / 60:.1f} min.")
    w(f"- Command: `{results['command']}` (via `make bench`)")
    w(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB, {m['os']}, kernel {m['kernel']}; "
      f"load average {' '.join(m['loadavg'])} before, {' '.join(m2.get('loadavg', ['?']))} after "
      "(a 2-core VM shared with other work: absolute figures are noisy; the ratios are paired).")
    tools = results.get("tools", {})
    w(f"- Load generator: {tools.get('wrk', '?')}; 1 thread at c=1, 2 threads at c=32, keep-alive (Snappass's gunicorn "
      "sync workers close every connection, so wrk reconnects for it). Baseline: "
      f"{tools.get('baseline', 'not run')}, gunicorn 4 sync workers, `NO_SSL=True`, {tools.get('redis-server', '?')} "
      "with Debian's default persistence settings on a private loopback port.")
    w("- Ashlink: `storage = durable` (data on the ext4 root disk, `synchronous=FULL`, group commit: one fsync per batch of waiting writes) and "
      "`storage = ephemeral` (tmpfs under /dev/shm, no fsync); started as root, dropped to `nobody`, mlockall, seccomp; "
      "`creates_per_minute`, `argon2_max_waiting` and the quota raised so that no limit applies.")
    fs = results.get("fdatasync")
    if fs:
        w(f"- The durable data directory's disk: write 4 KiB + `fdatasync` takes {fs['p50_ms']:.2f} ms median, "
          f"{fs['p99_ms']:.2f} ms p99 (probe of 100).")
    w("\nOne *operation* is one create, or one whole flow: browser = `POST /share` → 303 → `GET /private/{receipt}` → "
      "`GET /secret/{key}` → `POST /secret/{key}` (Snappass: `POST /` → `GET /{token}` → `POST /{token}`); API = "
      "`POST /api/v1/share` → `POST /api/v1/secret/{key}` (Snappass has no reveal API: `POST /` with `Accept: application/json` "
      "→ `POST /{token}`). Secrets are 32 bytes. p50/p99 are per operation (the whole flow, timed in the Lua script); "
      "*req p99* is wrk's per-HTTP-request p99. *wrk CPU* is the load generator's share of the CPU time used by it and the server.\n")
    if png:
        w("![throughput and p99](benchmarks-throughput.png)\n")
    w("## Targets\n")
    w("| target | measured | goal | |")
    w("|---|---|---|---|")
    for label, value, goal, verdict in checks:
        w(f"| {label} | {value} | {goal} | {verdict} |")
    w("\n## Throughput and latency\n")
    w("| scenario | c | system | ops/s | ×Snappass | p50 ms | p99 ms | req p99 ms | wrk CPU | errors |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['ratio']:.1f}×" if r["ratio"] else ("1×" if r["name"] == "snappass" else "–")
        share = f"{r['wrk_share'] * 100:.0f}%" if r["wrk_share"] is not None else "–"
        w(f"| {FLOWS[r['flow']]} | {r['conns']} | {NAMES[r['name']]} | {fmt(r['ops'])} | {ratio} | {fmt(r['p50'], 2)} | "
          f"{fmt(r['p99'], 2)} | {fmt(r['req_p99'], 2)} | {share} | {r['errors'] + r['unexpected']} |")
    w("\nPassphrase flows run Argon2id (64 MiB, ~50–65 ms here) on create and on reveal, at most "
      "`argon2_concurrency` (2) at once: they are bound by Argon2, by design, and have no Snappass counterpart.\n")
    out.extend(report_ceiling.section(results))

    w("## Memory, start-up, size\n")
    w("| | idle RSS MiB | peak RSS MiB (sum of VmHWM) | locked (VmLck) MiB idle / peak | start to first answer ms |")
    w("|---|---|---|---|---|")
    idle, peak, start = results.get("idle_kib", {}), results.get("peak_kib", {}), results.get("startup_s", {})
    for key, label in (("ashlink-durable", "Ashlink durable"), ("ashlink-ephemeral", "Ashlink ephemeral"),
                       ("snappass", "Snappass total (gunicorn master + 4 workers + redis)"),
                       ("snappass-gunicorn", "… gunicorn"), ("snappass-redis", "… redis-server")):
        if key not in idle:
            continue
        st = start.get(key)
        if key == "snappass-redis":
            st = start.get("redis")
        w(f"| {label} | {fmt(mib(idle[key]['VmRSS']))} | {fmt(mib(peak.get(key, {}).get('VmHWM')))} | "
          f"{fmt(mib(idle[key]['VmLck']))} / {fmt(mib(peak.get(key, {}).get('VmLck')))} | {fmt(st * 1000 if st else None)} |")
    b = results.get("binary", {})
    w(f"\nStart-up: median of {len(results.get('startup_all_s', {}).get('ashlink-durable', []))} cold starts, from `exec` to the "
      "first 200 (`GET /api/v1/status`; Snappass: `GET /` with redis already up — redis's own start is its row). "
      "Peak is the high-water mark after all load runs (passphrase runs included: each Argon2id holds 64 MiB).\n")
    w(f"Binary `{b.get('path')}`: {b.get('bytes', 0) / 1048576:.1f} MiB as built, {b.get('stripped_bytes', 0) / 1048576:.1f} MiB "
      f"stripped, {b.get('shared_libs', '?')} shared libraries (`ldd`).\n")

    w("## Exactly-once under a race\n")
    w("Each trial creates one secret, opens N connections, releases N reveal requests at once (a barrier), and counts "
      "the answers that carry the plaintext.\n")
    w("| system | trials × readers | trials with exactly one reader | trials leaking to >1 reader | most readers of one secret | no answer |")
    w("|---|---|---|---|---|---|")
    for name, r in results.get("race", {}).items():
        w(f"| {NAMES.get(name, name)} | {r['trials']} × {r['readers']} | {r['exactly_one']} | {r['trials_leaking']} | "
          f"{r['max_winners']} | {r['no_answer']} |")

    scaling = results.get("scaling", [])
    if scaling:
        w("\n## Scaling with stored secrets (Ashlink ephemeral)\n")
        w("The vault is seeded through the API (`POST /api/v1/share`, wrk at c=64), then API create + reveal flows run "
          "against it; *reveal* is the reveal request alone (timed in the Lua script), so the stored count stays put. "
          "Each create also stores a receipt row, which outlives the reveal.\n")
        levels = [k for k in scaling[0] if k.startswith("c") and k[1:].isdigit()]
        head = "".join(f" reveal p50 ms {k[0]}={k[1:]} | reveal p99 ms {k[0]}={k[1:]} | flows/s {k[0]}={k[1:]} |" for k in levels)
        w("| stored secrets | receipts | seeding | DB + WAL on disk | bytes on disk per stored secret |" + head + " RSS MiB |")
        w("|---" * (5 + 3 * len(levels) + 1) + "|")
        for row in scaling:
            seed = row["seed"]
            seeding = f"{seed['seeded']:,} in {seed['seconds']:.0f} s ({fmt(seed['per_s'])}/s)" if seed["seeded"] else "–"
            cols = "".join(f" {row[k]['reveal_p50_ms']:.3f} | {row[k]['reveal_p99_ms']:.3f} | {fmt(row[k]['flows_per_s'])} |" for k in levels)
            w(f"| {row['stored']:,} | {row['receipts']:,} | {seeding} | {row['disk_bytes'] / 1048576:.1f} MiB | "
              f"{row['bytes_per_secret']:.0f} |" + cols + f" {fmt(mib(row['rss_kib']['VmRSS']))} |")

    prof = results.get("profile") or {}
    if prof:
        w("\n## Where the time goes (perf record -g on the server, top symbols by self time)\n")
        for label, p in prof.items():
            if not p:
                continue
            w(f"**{label}**: {fmt(p['ops_per_s'])} ops/s, server CPU {p['server_cpu_s']:.1f} s in {p['wall_s']:.1f} s wall "
              f"({p['server_cpu_s'] / p['wall_s'] * 100:.0f}% of one core); system calls per operation: "
              + ", ".join(f"{k} {v:.2f}" for k, v in sorted(p.get("per_op", {}).items())) + ".\n")
            w("```")
            out.extend(p["top"])
            w("```\n")
    notes = Path(__file__).resolve().parent / "analysis.md"
    if notes.exists() and not results.get("quick"):
        w("\n## Analysis\n")
        w(notes.read_text())
    (out_dir / "benchmarks.md").write_text("\n".join(out) + "\n")
    return "\n".join(f"{label}: {value} (goal {goal}) {verdict}" for label, value, goal, verdict in checks)
