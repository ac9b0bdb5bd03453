"""The flows of bench/pageflows.py through an onion service (`--tor`): a private Tor network on
127.0.0.1 (3 directory authorities, 1 relay, Tests/Support/ashlink_harness/tornet.py), one onion
with the running server on port 80 and `python3 -m http.server` on port 81 serving one static file
of a page's size, and one client whose SOCKS port every request goes through. Every tor process
and the static server are stopped and their files removed on the way out, also on failure."""

import os
import signal
import socket
import statistics
import subprocess
import sys
import time

from ashlink_harness.onion_client import wait_until_reachable
from ashlink_harness.ports import free_port
from ashlink_harness.socks import socks5_connect
from ashlink_harness.tornet import TorNetwork

STATIC_FILE = "page.html"


def static_server(folder, size):
    """`python3 -m http.server` on a free loopback port, serving one file of `size` bytes."""
    root = folder / "static"
    root.mkdir()
    (root / STATIC_FILE).write_bytes(b"x" * size)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(root), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("python3 -m http.server did not start")


def timed(action, runs):
    """The median seconds of `runs` calls, after one untimed call that builds the circuits."""
    action()
    durations = []
    for _ in range(runs):
        started = time.monotonic()
        action()
        durations.append(time.monotonic() - started)
    return statistics.median(durations)


def through_tor(server, walk, flows, runs, folder, static_bytes, fetch):
    """Each flow's median time through the onion, and the static file's (one onion round trip).
    `walk(connect, host, flow)` and `fetch(connect, host, path)` are pageflows.py's."""
    static, static_port = static_server(folder, static_bytes)
    try:
        with TorNetwork(authorities=3, relays=1) as network:
            network.start_directory()
            network.wait_for_consensus()
            service_dir = network.root / "onion"
            service = network.start_onion_service("onion", "\n".join([
                "SocksPort 0",
                f"HiddenServiceDir {service_dir}",
                f"HiddenServicePort 80 127.0.0.1:{server.port}",
                f"HiddenServicePort 81 127.0.0.1:{static_port}",
            ]))
            address = network.wait_for_hostname(service_dir, service)
            client = network.start_client("browser")
            client.wait_for_log(r"Bootstrapped 100%", timeout=90)
            wait_until_reachable(client, address, timeout=180)

            def onion(port):
                return lambda: socks5_connect(client.socks_port, address, port, 60)

            figures = {"flows": {}, "static_bytes": static_bytes, "static_runs": runs * 4}
            for name, flow in flows.items():
                figures["flows"][name] = {"onion_s": timed(lambda: walk(onion(80), address, flow), runs)}
            figures["static_s"] = timed(lambda: fetch(onion(81), address, "/" + STATIC_FILE), runs * 4)
            return figures
    finally:
        os.killpg(static.pid, signal.SIGTERM)
        static.wait(timeout=10)
