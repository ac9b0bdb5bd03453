"""Limits: what is refused is refused clearly, and stores nothing."""

import socket
import time


def test_body_over_the_limit_is_413_and_stores_nothing(start_server):
    server = start_server(config="max_body_bytes = 65536\nmax_secret_bytes = 1024\n")
    too_big_body = server.request("POST", "/api/v1/share", body=b"secret=" + b"x" * 70000,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert too_big_body.status == 413
    too_big_secret = server.request("POST", "/api/v1/share", {"secret": "y" * 1025})
    assert too_big_secret.status == 413 and "too large" in too_big_secret.json()["message"]
    page = server.request("POST", "/share", {"secret": "y" * 1025})
    assert page.status == 413 and "too large" in page.text
    assert server.count_rows("secret", "receipt") == 0, "a refused create stored something"
    assert server.request("POST", "/api/v1/share", {"secret": "y" * 1024}).status == 200
    assert server.count_rows("secret", "receipt") == 2, "the secret at the limit and its receipt"


def test_oversized_headers_are_refused(server):
    reply = server.request("GET", "/", headers={"X-Padding": "p" * 40000})
    assert reply.status in (400, 431)
    assert server.request("GET", "/").status == 200


def test_slow_request_head_is_cut_off(start_server):
    server = start_server(config="header_timeout_seconds = 1\n")
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    slow.settimeout(10)
    try:
        while slow.recv(1024):
            pass
    except ConnectionResetError:
        pass
    assert time.monotonic() - start < 5, "the half-sent request was not closed by the header timeout"
    assert server.request("GET", "/api/v1/status").status == 200


def read_answer(connection):
    """One whole answer on a keep-alive connection (the status route's, with a Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
    while len(body) < length:
        body += connection.recv(4096)
    return head


def test_the_head_timeout_restarts_after_every_answer(start_server):
    server = start_server(config="header_timeout_seconds = 1\n")
    request = b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n"
    busy = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    # Prompt requests for three times the timeout: the connection stays open throughout.
    for _ in range(12):
        busy.sendall(request)
        assert read_answer(busy).startswith(b"HTTP/1.1 200")
        time.sleep(0.25)
    # Then half a head after an answer: cut off once the timeout has passed since that answer.
    busy.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    try:
        while busy.recv(1024):
            pass
    except ConnectionResetError:
        pass
    assert 0.5 < time.monotonic() - started < 5, "the half-sent head after an answer was not cut off on time"


def test_full_vault_answers_503_and_reveals_keep_working(start_server):
    server = start_server(config="max_secrets = 3\n")
    keys = [server.request("POST", "/api/v1/share", {"secret": f"s{i}"}).json()["secret_key"] for i in range(3)]
    full = server.request("POST", "/api/v1/share", {"secret": "one too many"})
    assert full.status == 503 and "busy" in full.json()["message"]
    assert server.request("POST", "/share", {"secret": "one too many"}).status == 503
    assert server.request("POST", f"/api/v1/secret/{keys[0]}").json()["value"] == "s0"
    assert server.request("POST", "/api/v1/share", {"secret": "room again"}).status == 200


def test_create_rate_limit_is_global(start_server):
    server = start_server(config="creates_per_minute = 6\n")
    statuses = [server.request("POST", "/api/v1/share", {"secret": "r"}).status for _ in range(3)]
    assert statuses[0] == 200 and 429 in statuses
    assert server.request("GET", "/api/v1/status").status == 200
