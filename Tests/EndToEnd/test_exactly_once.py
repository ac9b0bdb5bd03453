"""Of 50 simultaneous reveals of one secret, exactly one gets it: over the API and the form."""

import re
import threading

from ashlink_harness.http_client import exchange

READERS = 50
ROUNDS = 10


def race(server, path, fields):
    barrier = threading.Barrier(READERS)
    results = [None] * READERS

    def reader(index):
        connection = server.connection()
        connection.connect()  # connect before the barrier, so the requests really overlap
        barrier.wait()
        reply = exchange(connection, "POST", path, body=fields, headers={"Content-Type": "application/x-www-form-urlencoded"})
        results[index] = (reply.status, reply.body)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_api_reveal_has_exactly_one_winner(server):
    for round_number in range(ROUNDS):
        secret = f"race {round_number}"
        key = server.request("POST", "/api/v1/share", {"secret": secret}).json()["secret_key"]
        results = race(server, f"/api/v1/secret/{key}", b"")
        winners = [body for status, body in results if status == 200]
        assert len(winners) == 1, f"round {round_number}: {len(winners)} winners"
        assert secret.encode() in winners[0]
        assert sorted(status for status, _ in results) == [200] + [404] * (READERS - 1)


def test_form_reveal_has_exactly_one_winner(server):
    for round_number in range(ROUNDS):
        secret = f"form race {round_number}"
        receipt = server.request("POST", "/share", {"secret": secret}).header("location")
        path = re.search(r"/secret/[a-z2-7]{52}", server.request("GET", receipt).text).group(0)
        results = race(server, path, b"")
        winners = [body for status, body in results if status == 200]
        assert len(winners) == 1, f"round {round_number}: {len(winners)} winners"
        assert secret.encode() in winners[0]


def test_passphrase_reveal_has_exactly_one_winner(server):
    for round_number in range(3):
        key = server.request("POST", "/api/v1/share", {"secret": "guarded", "passphrase": "pw"}).json()["secret_key"]
        results = race(server, f"/api/v1/secret/{key}", b"passphrase=pw")
        assert [status for status, _ in results].count(200) == 1
