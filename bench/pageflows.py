#!/usr/bin/env python3
"""Requests and bytes per flow, as `make bench` measures them: what a browser at Tor Browser's
"Safest" (JavaScript off) fetches to walk the two flows a person walks.

- The secret flow: create form (GET /), create (POST /share, 303), the receipt it leads to, the
  recipient's confirm page (GET /secret/…), the reveal (POST /secret/…). The tip flow: tip form
  (GET /tip), the tip (POST /tip), answered by the received page.
- Every HTML answer is parsed and each subresource it references (a stylesheet, also one inside
  `<noscript>`, which a browser with JavaScript off loads; an image, a script…) is fetched as a
  browser would, and a stylesheet's own `url()`s and `@import`s after it. Bytes are HTTP bytes on the
  wire both ways (request and answer, headers included), one connection per request.
- With --tor, the same walks through an onion service of a private Tor network on 127.0.0.1
  (Tests/Support/ashlink_harness/tornet.py), timed, beside a static file of a page's size served by
  `python3 -m http.server` behind the same onion: how many onion round trips a flow costs, and the
  share of its time the server itself takes (the same walk on loopback over the walk through Tor).

The figures replace the "Requests and bytes per flow" section of docs/benchmarks.md (appended when
missing). Usage: pageflows.py --binary PATH [--tor] [--runs N] [--out docs/benchmarks.md] [--json FILE]
"""

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from ashlink_harness.page_weight import PageParts, css_fetches, secret_flow, tip_flow
from ashlink_harness.ports import free_port
from ashlink_harness.server import Server
from report_section import write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Requests and bytes per flow (bench/pageflows.py)"
FLOWS = {"secret": secret_flow, "tip": tip_flow}
# What Tor Browser sends with a navigation, give or take its version number.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.5",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Upgrade-Insecure-Requests": "1",
}


class Reply:
    def __init__(self, status, headers, body, sent, received):
        self.status, self.headers, self.body, self.sent, self.received = status, headers, body, sent, received

    @property
    def text(self):
        return self.body.decode("utf-8")

    def header(self, name):
        return self.headers.get(name.lower())


def receive_all(sock):
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def wire_exchange(connect, host, method, path, headers, body):
    """One request on a new connection (`Connection: close`), read to its end: the reply and the
    bytes each way. `connect()` gives a connected socket (TCP, or a SOCKS stream through tor)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in {**BROWSER_HEADERS, **headers}.items())]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with connect() as sock:
        sock.sendall(request)
        answer = receive_all(sock)
    head, _, payload = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if "content-length" in fields:
        payload = payload[:int(fields["content-length"])]
    return Reply(int(status_line.split()[1]), fields, payload, len(request), len(answer))


def walk(connect, host, flow):
    """The flow as a browser walks it: every answer, then each subresource of every HTML answer.
    Returns one record per request: (kind, method, path, status, bytes sent, bytes received)."""
    records = []

    def fetch(kind, method, path, headers, body):
        reply = wire_exchange(connect, host, method, path, headers, body)
        records.append((kind, method, path, reply.status, reply.sent, reply.received))
        content_type = reply.header("content-type") or ""
        if content_type.startswith("text/html"):
            references = PageParts.of(reply.text).fetches
        elif content_type.startswith("text/css"):
            references = css_fetches(reply.text)
        else:
            references = []
        for reference in references:
            target = urljoin(path, reference)
            if urlsplit(target).netloc:
                raise RuntimeError(f"{path} references another site: {reference}")
            fetch("subresource", "GET", target, {}, b"")
        return reply

    flow(lambda method, path, headers, body: fetch("answer", method, path, headers, body))
    return records


def summary(records):
    answers = [r for r in records if r[0] == "answer"]
    return {
        "requests": len(records),
        "navigations": len(answers),
        "subresources": len(records) - len(answers),
        "sent_bytes": sum(r[4] for r in records),
        "received_bytes": sum(r[5] for r in records),
        "largest_answer_bytes": max(r[5] for r in records),
        "requests_detail": [list(r) for r in records],
    }


def tcp(port):
    return lambda: socket.create_connection(("127.0.0.1", port), timeout=30)


def loopback(server, runs):
    """Each flow's counts, and the median wall time of `runs` walks on loopback (the server's own time)."""
    figures = {}
    for name, flow in FLOWS.items():
        figures[name] = summary(walk(tcp(server.port), server.listen, flow))
        times = []
        for _ in range(runs):
            started = time.monotonic()
            walk(tcp(server.port), server.listen, flow)
            times.append(time.monotonic() - started)
        figures[name]["loopback_s"] = statistics.median(times)
    return figures


def inbox_config(binary, folder):
    """The tip inbox on (the tip flow needs it), with keys made by the binary's own commands."""
    recipient = subprocess.run([binary, "inbox", "keygen", "--output", str(folder / "newsroom.key")],
                               capture_output=True, text=True, check=True).stdout.strip()
    verifier = subprocess.run([binary, "inbox", "access-token", "--output", str(folder / "journalist.token")],
                              capture_output=True, text=True, check=True).stdout.strip()
    return f"inbox_recipients = {recipient}\ninbox_listen = 127.0.0.1:{free_port()}\ninbox_access = {verifier}\n"


def kib(count):
    return f"{count / 1024:.1f} KiB"


def section(figures, binary):
    rows = ["| flow | HTTP requests | pages and form posts | subresources | bytes sent | bytes received | largest answer |",
            "|---|---|---|---|---|---|---|"]
    for name, flow in figures["flows"].items():
        rows.append(f"| {name} | {flow['requests']} | {flow['navigations']} | {flow['subresources']} | "
                    f"{kib(flow['sent_bytes'])} | {kib(flow['received_bytes'])} | {kib(flow['largest_answer_bytes'])} |")
    timings = ", ".join(f"{name} {flow['loopback_s'] * 1000:.0f} ms" for name, flow in figures["flows"].items())
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} with `{binary}`. A browser with JavaScript off "
        "walks each flow: every answer's HTML is parsed and each subresource it references is fetched too (a "
        "stylesheet inside `<noscript>` included, as such a browser loads it). Bytes are HTTP bytes both ways, "
        "headers included (Tor Browser's request headers), one connection per request. "
        "Secret: create form → POST /share (303) → receipt → confirm → POST reveal. Tip: tip form → POST /tip, "
        "answered by the received page.", "",
        *rows, "",
        f"Each flow on loopback takes {timings} "
        f"(median of {figures['runs']} walks): the server's own time.",
    ]
    tor = figures.get("tor")
    if tor:
        lines += ["", f"Through the onion service of a private Tor network on 127.0.0.1 (3 authorities, 1 relay; "
                  f"every hop on this machine, so a real circuit's latency is missing here and every round trip "
                  f"costs more on the real network), one new stream per request as above. A static file of "
                  f"{kib(tor['static_bytes'])} (the create form's size) from `python3 -m http.server` behind the same "
                  f"onion takes {tor['static_s'] * 1000:.0f} ms (median of {tor['static_runs']}): one onion round trip "
                  "with next to no server time. Medians of "
                  f"{figures['runs']} walks.", "",
                  "| flow | HTTP requests | through Tor | as many static fetches | on loopback (the server's own time) | server's share |",
                  "|---|---|---|---|---|---|"]
        for name, flow in tor["flows"].items():
            local, requests = figures["flows"][name]["loopback_s"], figures["flows"][name]["requests"]
            lines.append(f"| {name} | {requests} | {flow['onion_s'] * 1000:.0f} ms | {requests * tor['static_s'] * 1000:.0f} ms | "
                         f"{local * 1000:.0f} ms | {100 * local / flow['onion_s']:.0f} % |")
    else:
        lines += ["", "Not timed through Tor in this run (`--tor` starts a private Tor network for it)."]
    return "\n".join(lines) + "\n"



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--runs", type=int, default=5, help="timed walks of each flow (medians)")
    parser.add_argument("--tor", action="store_true", help="also time the flows through a private Tor network")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--json", default=None, help="also write the raw figures here")
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    with tempfile.TemporaryDirectory(prefix="pageflows-", dir=ROOT) as folder:
        folder = Path(folder)
        folder.chmod(0o755)
        server = Server(folder / "var", config=inbox_config(binary, folder), home=folder, command=[binary])
        try:
            figures = {"runs": args.runs, "flows": loopback(server, args.runs)}
            if args.tor:
                from tor_flows import through_tor

                page_bytes = figures["flows"]["secret"]["requests_detail"][0][5]
                figures["tor"] = through_tor(
                    server, walk, FLOWS, args.runs, folder, page_bytes,
                    lambda connect, host, path: wire_exchange(connect, host, "GET", path, {}, b""))
        finally:
            server.stop()
    print(json.dumps({name: {k: v for k, v in flow.items() if k != "requests_detail"} for name, flow in figures["flows"].items()}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    write_section(Path(args.out), SECTION, section(figures, args.binary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
