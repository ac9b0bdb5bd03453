"""proxy_protocol: tor's PROXY v1 line in front of every connection names the rendezvous circuit,
and each circuit gets its own share of the create rate and the connections (decision 0020).
These tests write the lines tor would write, on loopback; test_onion.py has tor write them."""

import socket
import threading
import time

from ashlink_harness.commands import run_ashlink
from ashlink_harness.http_client import proxy_line_for

CIRCUIT_A, CIRCUIT_B = 0x0001_0001, 0x0002_0002
STATUS_REQUEST = b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def start_proxied(start_server, extra=""):
    return start_server(config="proxy_protocol = on\n" + extra, proxy_line=proxy_line_for(CIRCUIT_B))


def raw(server):
    host, _, port = server.listen.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=30)


def everything(sock):
    """All the server sends until it closes; b"" for a connection closed without an answer."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def test_without_proxy_protocol_a_proxy_line_is_a_bad_request(server):
    connection = raw(server)
    connection.sendall(proxy_line_for(CIRCUIT_A) + STATUS_REQUEST)
    answer = everything(connection)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]


def test_with_proxy_protocol_every_connection_needs_the_line_or_is_dropped_unanswered(start_server):
    server = start_proxied(start_server, "header_timeout_seconds = 1\n")
    for start in (STATUS_REQUEST,  # no line at all
                  b"PROXY TCP6 fc00:dead:beef:4dad::1 ::1 1\r\n" + STATUS_REQUEST,  # a field missing
                  b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n" + STATUS_REQUEST,  # LF alone
                  b"PROXY UNKNOWN " + b"f" * 100,  # no CRLF within 107 bytes
                  b"PROXY TCP6 fc00:dead:beef:4dad::1:1 ::1 1 80"):  # and then nothing: the head timeout
        connection = raw(server)
        connection.sendall(start)
        assert everything(connection) == b"", start
        connection.close()

    # The line and the request in one write, or the line byte by byte: both are served.
    connection = raw(server)
    connection.sendall(proxy_line_for(CIRCUIT_A) + STATUS_REQUEST)
    assert everything(connection).startswith(b"HTTP/1.1 200 ")
    connection = raw(server)
    for byte in proxy_line_for(CIRCUIT_A):
        connection.sendall(bytes([byte]))
    connection.sendall(STATUS_REQUEST)
    assert everything(connection).startswith(b"HTTP/1.1 200 ")
    unknown = raw(server)
    unknown.sendall(b"PROXY UNKNOWN\r\n" + STATUS_REQUEST)
    assert everything(unknown).startswith(b"HTTP/1.1 200 ")


def test_a_circuit_that_floods_creates_gets_429_while_another_still_creates(start_server):
    # 6 a minute per circuit: a burst of one, then one every 10 s; 600 a minute for everyone.
    server = start_proxied(start_server, "creates_per_minute_per_circuit = 6\n")
    flood = [server.request("POST", "/api/v1/share", {"secret": "a"}, proxy_line=proxy_line_for(CIRCUIT_A)).status
             for _ in range(5)]
    assert flood[0] == 200 and flood[-1] == 429, flood
    assert server.request("POST", "/api/v1/share", {"secret": "b"}).status == 200, "circuit B has its own share"
    page = server.request("POST", "/share", {"secret": "a"}, proxy_line=proxy_line_for(CIRCUIT_A))
    assert page.status == 429, "the pages' creates share the circuit's bucket"
    local = server.request("POST", "/api/v1/share", {"secret": "c"}, proxy_line=b"PROXY UNKNOWN\r\n")
    assert local.status == 200, "a connection without a circuit has only the global limit"


def test_a_circuit_holding_many_connections_cannot_keep_another_out(start_server):
    """Circuit A opens as many connections as the global cap, each with its request head sent and
    its body held back (such a connection is never shed). Two of them are A's share; the rest are
    closed at once, so circuit B still gets in and is answered."""
    server = start_proxied(start_server, "max_connections = 8\nmax_connections_per_circuit = 2\nheader_timeout_seconds = 60\n")
    body = b"secret=held-back-by-circuit-a"
    held = []
    for _ in range(8):
        connection = raw(server)
        connection.sendall(proxy_line_for(CIRCUIT_A) + b"POST /api/v1/share HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5])
        held.append(connection)

    other = server.request("POST", "/api/v1/share", {"secret": "circuit b gets in"})
    assert other.status == 200, other.body

    answers = []
    for connection in held:
        try:
            connection.sendall(body[5:])
        except (BrokenPipeError, ConnectionResetError):
            pass
        answers.append(everything(connection))
        connection.close()
    served = [answer for answer in answers if answer.startswith(b"HTTP/1.1 200 ")]
    assert len(served) == 2, [answer[:40] for answer in answers]
    assert answers.count(b"") == 6, "the others were closed without an answer"


def test_a_circuit_guessing_passphrases_cannot_fill_the_argon2id_queue(start_server):
    """One Argon2id run at a time, four places to wait, one place per circuit: circuit A's twelve
    guesses at once get one place and 503 for the rest, and circuit B's right passphrase, sent
    while they are at it, waits its turn and opens. Without the share A's guesses would fill the
    queue and B would be turned away."""
    server = start_proxied(start_server, "argon2_concurrency = 1\nargon2_max_waiting = 4\n"
                                         "argon2_max_waiting_per_circuit = 1\n")
    unknown = b"PROXY UNKNOWN\r\n"  # creates on no circuit: only the global shares apply
    keys = [server.request("POST", "/api/v1/share", {"secret": f"secret {n}", "passphrase": "right"},
                           proxy_line=unknown).json()["secret_key"] for n in range(13)]
    statuses = [None] * 12

    def guess(index):
        statuses[index] = server.request("POST", f"/api/v1/secret/{keys[index]}", {"passphrase": "wrong"},
                                         proxy_line=proxy_line_for(CIRCUIT_A)).status

    guesses = [threading.Thread(target=guess, args=(index,)) for index in range(12)]
    for thread in guesses:
        thread.start()
    time.sleep(0.05)
    right = server.request("POST", f"/api/v1/secret/{keys[12]}", {"passphrase": "right"})  # circuit B
    for thread in guesses:
        thread.join()
    assert right.status == 200 and right.json()["value"] == "secret 12", right.text
    assert 503 in statuses and set(statuses) <= {404, 503}, statuses


def test_check_config_names_the_shares_and_refuses_bad_values(workdir):
    config = workdir / "ashlink.conf"
    config.write_text("proxy_protocol = on\ncreates_per_minute_per_circuit = 12\nmax_connections_per_circuit = 4\n"
                      "argon2_max_waiting_per_circuit = 1\n")
    shown = run_ashlink("check-config", "--config", str(config))
    assert shown.returncode == 0, shown.stderr
    assert "proxy_protocol on: per tor circuit 12 creates/min, 4 connections, 1 Argon2id runs" in shown.stdout
    for bad in ("proxy_protocol = maybe", "max_connections_per_circuit = 0", "argon2_max_waiting_per_circuit = 0",
                "creates_per_minute_per_circuit = -1"):
        config.write_text(bad + "\n")
        refused = run_ashlink("check-config", "--config", str(config))
        assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1, (bad, refused.stderr)


def test_doctor_fails_when_tor_and_ashlink_disagree_on_the_line(workdir):
    socket_path = workdir / "http.sock"
    torrc = workdir / "torrc"
    for proxy_protocol, exports, agree in (("on", True, True), ("off", False, True), ("on", False, False), ("off", True, False)):
        torrc.write_text(f"HiddenServiceDir {workdir / 'hs'}\nHiddenServicePort 80 unix:{socket_path}\n"
                         + ("HiddenServiceExportCircuitID haproxy\n" if exports else ""))
        config = workdir / "ashlink.conf"
        config.write_text(f"listen = unix:{socket_path}\nproxy_protocol = {proxy_protocol}\n")
        report = run_ashlink("doctor", "--config", str(config), "--torrc", str(torrc)).stdout
        line = next(line for line in report.splitlines() if " tor circuit id " in f" {line} ")
        assert line.startswith("ok " if agree else "FAIL "), (proxy_protocol, exports, line)
