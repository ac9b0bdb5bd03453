"""The report's HTTP-ceiling part: bare Hummingbird's one route against each Ashlink's cheapest
route, creates as a fraction of that route, and small tips beside the secret-link figures.

Every fraction is paired: the two runs of one repetition, then the median of the repetitions."""

import statistics

SYSTEMS = {"hello": "bare Hummingbird (bench/hello)", "ashlink-durable": "Ashlink durable",
           "ashlink-ephemeral": "Ashlink ephemeral"}


def _runs(results, system, flow, conns):
    return {r["rep"]: r for r in results.get("runs", [])
            if r["system"] == system and r["flow"] == flow and r["conns"] == conns}


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def paired_fraction(results, part, whole, conns):
    """Median over repetitions of ops/s of `part` over ops/s of `whole` (each a (system, flow))."""
    tops, bottoms = _runs(results, *part, conns), _runs(results, *whole, conns)
    return _median([tops[rep]["ops_per_s"] / bottoms[rep]["ops_per_s"]
                    for rep in tops if rep in bottoms and bottoms[rep]["ops_per_s"] > 0])


def _figure(results, system, flow, conns, key="ops_per_s"):
    return _median([r[key] for r in _runs(results, system, flow, conns).values()])


def _percent(value):
    return "–" if value is None else f"{value * 100:.0f}%"


def _number(value, digits=1):
    if value is None:
        return "–"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}f}"


def checks(results, conns=32):
    """(label, measured, goal, verdict) rows for the targets table."""
    rows = []
    goals = [(f"{SYSTEMS[s]} `GET /api/v1/status` / bare Hummingbird, c={conns}", (s, "status"), ("hello", "status"), 0.60)
             for s in ("ashlink-durable", "ashlink-ephemeral")]
    goals += [(f"Ashlink durable create / its status route, c={conns}", ("ashlink-durable", "create"), ("ashlink-durable", "status"), 0.40),
              (f"Ashlink ephemeral create / its status route, c={conns}", ("ashlink-ephemeral", "create"), ("ashlink-ephemeral", "status"), 0.60)]
    for label, part, whole, goal in goals:
        value = paired_fraction(results, part, whole, conns)
        verdict = "–" if value is None else ("met" if value >= goal else "**missed**")
        rows.append((label, "not measured" if value is None else _percent(value), f"≥ {goal * 100:.0f}%", verdict))
    return rows


def section(results):
    """The markdown lines of the section (none when the run had no status runs)."""
    levels = sorted({r["conns"] for r in results.get("runs", []) if r["flow"] == "status"})
    if not levels:
        return []
    out = ["\n## HTTP ceiling: the cheapest route, creates and tips as fractions of it\n",
           "bench/hello is Hummingbird with one route answering the status route's bytes, built by the bench with the "
           "release binary's flags; *status* is `GET /api/v1/status` of the same Ashlink servers as above (every "
           "middleware, header and JSON encoding, no storage). The same `wrk` settings for all; fractions are paired "
           "run by run.\n",
           "| c | system | route | ops/s | of bare Hummingbird | of its own status route | p50 ms | p99 ms |",
           "|---|---|---|---|---|---|---|---|"]
    for conns in levels:
        for system, flow, label in (("hello", "status", "`GET /api/v1/status`"),
                                    ("ashlink-durable", "status", "`GET /api/v1/status`"),
                                    ("ashlink-ephemeral", "status", "`GET /api/v1/status`"),
                                    ("ashlink-durable", "create", "create (`POST /share`)"),
                                    ("ashlink-ephemeral", "create", "create (`POST /share`)")):
            ops = _figure(results, system, flow, conns)
            if ops is None:
                continue
            of_bare = paired_fraction(results, (system, flow), ("hello", "status"), conns) if system != "hello" else 1.0
            of_own = paired_fraction(results, (system, flow), (system, "status"), conns) if flow != "status" else None
            out.append(f"| {conns} | {SYSTEMS[system]} | {label} | {_number(ops)} | {_percent(of_bare)} | {_percent(of_own)} | "
                       f"{_number(_figure(results, system, flow, conns, 'p50_ms'), 2)} | {_number(_figure(results, system, flow, conns, 'p99_ms'), 2)} |")
    out += ["\n### Small tips beside secret links (Ashlink durable)\n",
            "A small tip is `POST /tip` with a 32-byte message and no attachment, answered once it is durable. Each tip "
            "runs Argon2id once (its codename's verifier), a passphrase secret's create and reveal twice, a plain create "
            "never; all three share `argon2_concurrency` (2) and group commit.\n",
            "| c | small tips/s | passphrase create + reveal (API) flows/s | plain creates/s | tip p50 ms | tip p99 ms |",
            "|---|---|---|---|---|---|"]
    for conns in sorted({r["conns"] for r in results.get("runs", []) if r["flow"] == "tip"}):
        tips = _figure(results, "ashlink-durable", "tip", conns)
        if tips is None:
            continue
        out.append(f"| {conns} | {_number(tips)} | {_number(_figure(results, 'ashlink-durable', 'pass', conns))} | "
                   f"{_number(_figure(results, 'ashlink-durable', 'create', conns))} | "
                   f"{_number(_figure(results, 'ashlink-durable', 'tip', conns, 'p50_ms'), 2)} | "
                   f"{_number(_figure(results, 'ashlink-durable', 'tip', conns, 'p99_ms'), 2)} |")
    return out
