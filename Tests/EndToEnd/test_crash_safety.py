"""kill -9 in the middle of creates and reveals: nothing acknowledged is lost, nothing is half done."""

import signal
import sqlite3
import threading
import time

from ashlink_harness.server import Server

WRITERS = 8
UNLIMITED = "creates_per_minute = 10000000\n"


def create_load(server, acknowledged, stop):
    def writer(number):
        sequence = 0
        while not stop.is_set():
            value = f"tip {number}-{sequence} " + "x" * (sequence % 200)
            sequence += 1
            try:
                reply = server.request("POST", "/api/v1/share", {"secret": value})
            except OSError:
                return  # the server was killed under us
            if reply.status == 200:
                acknowledged[reply.json()["secret_key"]] = value

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    return threads


def integrity(data_dir):
    connection = sqlite3.connect(data_dir / "vault.sqlite3")
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_acknowledged_creates_survive_repeated_kill_9(workdir):
    data_dir = workdir / "var"
    acknowledged = {}
    for _ in range(4):
        server = Server(data_dir, config=UNLIMITED)
        stop = threading.Event()
        threads = create_load(server, acknowledged, stop)
        time.sleep(0.8)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()
        server.log.close()
    assert len(acknowledged) > 50, "the load did not get going"

    server = Server(data_dir, config=UNLIMITED)
    try:
        for key, value in acknowledged.items():
            reply = server.request("POST", f"/api/v1/secret/{key}")
            assert reply.status == 200, f"an acknowledged secret was lost ({reply.status})"
            assert reply.json()["value"] == value
            assert server.request("POST", f"/api/v1/secret/{key}").status == 404
    finally:
        assert server.stop() == 0
    assert integrity(data_dir) == "ok"


def test_a_kill_during_reveals_leaves_each_secret_whole_or_gone(workdir):
    data_dir = workdir / "var"
    server = Server(data_dir, config=UNLIMITED)
    secrets = []
    for index in range(1000):
        value = f"whole-or-gone {index} " + "y" * index
        created = server.request("POST", "/api/v1/share", {"secret": value}).json()
        secrets.append((created["secret_key"], created["metadata_key"], value))

    revealed = set()

    def reader(chunk):
        for key, _, _ in chunk:
            try:
                if server.request("POST", f"/api/v1/secret/{key}").status == 200:
                    revealed.add(key)
            except OSError:
                return

    threads = [threading.Thread(target=reader, args=(secrets[n::WRITERS],)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(revealed) < 50 and time.monotonic() < deadline:  # kill once the reveals are under way
        time.sleep(0.001)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    for thread in threads:
        thread.join()
    server.log.close()
    assert 50 <= len(revealed) < len(secrets), "the kill did not land in the middle of the reveals"

    server = Server(data_dir, config=UNLIMITED)
    try:
        for key, metadata_key, value in secrets:
            reply = server.request("POST", f"/api/v1/secret/{key}")
            state = server.request("POST", f"/api/v1/private/{metadata_key}").json()["state"]
            if key in revealed:
                assert reply.status == 404, "a secret revealed before the kill came back"
                assert state == "received"
            elif reply.status == 200:
                assert reply.json()["value"] == value, "a secret came back altered"
            else:
                assert state == "received", "a secret vanished without its receipt saying so"
    finally:
        assert server.stop() == 0
    assert integrity(data_dir) == "ok"
