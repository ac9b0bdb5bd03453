"""The exactly-once probe: N readers released together on one secret; a correctness check, not a throughput figure."""

import re
import socket
import threading
import time


def race_trial(system, readers, marker):
    value = f"race{marker}z" + "r" * 16
    path = system.create_secret(value)
    body = b""
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{system.port}\r\nConnection: close\r\n"
               f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    socks = []
    try:
        for _ in range(readers):
            socks.append(socket.create_connection(("127.0.0.1", system.port), timeout=30))
        barrier = threading.Barrier(readers)
        answers = [b""] * readers

        def reader(i):
            try:
                barrier.wait(timeout=30)
                socks[i].sendall(request)
                # Read one whole answer, then close at once: gunicorn waits (2 s) for the client's
                # close before it takes the next connection, so reading to EOF would stall it.
                data = b""
                while True:
                    chunk = socks[i].recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    head, sep, body = data.partition(b"\r\n\r\n")
                    if sep:
                        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                        if length and len(body) >= int(length.group(1)):
                            break
                answers[i] = data
                socks[i].close()
            except (OSError, threading.BrokenBarrierError):
                answers[i] = b""

        workers = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        for sock in socks:
            sock.close()
    winners = sum(1 for a in answers if a.startswith(b"HTTP/1.1 200") and value.encode() in a)
    failed = sum(1 for a in answers if not a)
    return winners, failed


def race(system, trials, readers):
    counts, failed, t0 = [], 0, time.monotonic()
    for trial in range(trials):
        winners, lost = race_trial(system, readers, trial)
        counts.append(winners)
        failed += lost
    return {"trials": trials, "readers": readers, "exactly_one": sum(1 for c in counts if c == 1),
            "max_winners": max(counts) if counts else 0, "total_winners": sum(counts),
            "trials_leaking": sum(1 for c in counts if c > 1), "no_answer": failed, "seconds": time.monotonic() - t0}
