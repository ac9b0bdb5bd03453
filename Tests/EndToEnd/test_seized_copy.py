"""A copy of the data directory taken from a running server, read as whoever seized it would read
it: no time finer than an hour, no size beyond its class, nothing that pairs a secret with its
receipt, and no difference between secrets with and without a passphrase."""

import contextlib
import hashlib
import shutil
import sqlite3
import struct
import time

from test_at_rest import token_bytes
from test_tip_page import inbox_config, post_tip  # noqa: F401 (a fixture)


def row_id(token, context):
    """The vault's row key of a token: the first 63 bits of its row id, libsodium's
    crypto_kdf_derive_from_key, subkey 1 (docs/decisions/0026-rowid-secret-and-receipt-tables.md)."""
    digest = hashlib.blake2b(b"", digest_size=32, key=token_bytes(token), salt=struct.pack("<Q", 1) + bytes(8),
                             person=context + bytes(8)).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


def run_workload(server):
    """Secrets with and without a passphrase, of three sizes far apart and four lifetimes; some
    read, some burned, receipts looked at; two tips. Answers each create with what became of it."""
    creates = []
    for index, (size, ttl) in enumerate((s, t) for s in (3, 30, 300) for t in (300, 3600, 86400, 604800)):
        for passphrase in ("", "correct horse"):
            fields = {"secret": "s" * size, "ttl": str(ttl), "passphrase": passphrase}
            created = server.request("POST", "/api/v1/share", fields).json()
            creates.append({"created": created, "passphrase": passphrase, "fate": ("unread", "read", "burned")[index % 3]})
    creates.append({"created": server.request("POST", "/api/v1/generate").json(), "passphrase": "", "fate": "unread"})
    # The rest of a busy hour: only the two short lifetimes can give a secret and its receipt the
    # same sweep hour, and other creates of the hour share it then.
    for ttl in (300, 3600):
        for _ in range(40):
            created = server.request("POST", "/api/v1/share", {"secret": "background", "ttl": str(ttl)}).json()
            creates.append({"created": created, "passphrase": "", "fate": "unread"})
    for size in (5000, 5050):
        created = server.request("POST", "/api/v1/share", {"secret": "L" * size}).json()
        creates.append({"created": created, "passphrase": "", "fate": "unread"})
    for entry in creates:
        keys = entry["created"]
        if entry["fate"] == "read":
            reply = server.request("POST", f"/api/v1/secret/{keys['secret_key']}", {"passphrase": entry["passphrase"]})
            assert reply.status == 200, reply.text
        elif entry["fate"] == "burned":
            assert server.request("POST", f"/api/v1/private/{keys['metadata_key']}/burn").status == 200
        if entry["passphrase"]:
            assert server.request("POST", f"/api/v1/secret/{keys['secret_key']}", {"passphrase": "wrong"}).status == 404
        assert server.request("POST", f"/api/v1/private/{keys['metadata_key']}").status == 200
    for text in (b"a short tip", b"a longer tip " * 500):
        assert post_tip(server, text).status == 200
    return creates


@contextlib.contextmanager
def seized_copy(server, into):
    """The database and its WAL, copied while the server runs, opened as a copy is."""
    into.mkdir()
    for name in ("vault.sqlite3", "vault.sqlite3-wal"):
        if (server.data_dir / name).exists():
            shutil.copy(server.data_dir / name, into / name)
    with contextlib.closing(sqlite3.connect(into / "vault.sqlite3")) as copy:
        yield copy


def columns(copy, table):
    return [(row[1], row[2].upper()) for row in copy.execute(f"PRAGMA table_info({table})")]


def rows(copy, table):
    names = [name for name, _ in columns(copy, table)]
    return [dict(zip(names, row)) for row in copy.execute(f"SELECT * FROM {table}")]


def shape(row):
    return tuple((name, type(value).__name__, len(value) if isinstance(value, bytes) else None) for name, value in row.items())


def test_a_seized_copy_dates_nothing_finer_than_an_hour_and_links_nothing(start_server, workdir, inbox_config):  # noqa: F811
    server = start_server(config=inbox_config)
    creates = run_workload(server)
    now = time.time()
    with seized_copy(server, workdir / "seized") as copy:
        secrets = {row["id"]: row for row in rows(copy, "secret")}
        receipts = {row["id"]: row for row in rows(copy, "receipt")}
        assert copy.execute("SELECT count(*) FROM secret_v4").fetchone()[0] == 0
        assert copy.execute("SELECT count(*) FROM receipt_v4").fetchone()[0] == 0

        # Times: the only integer columns of secrets and receipts are their keys, KDF outputs of
        # 63 bits (a counting rowid would be small and tell the order of creates), and their sweep
        # hours, whole hours since the epoch (a minute or second count would be 60 or 3600 times
        # larger); tips and replies keep days.
        assert [name for name, kind in columns(copy, "secret") if kind == "INTEGER"] == ["id", "sweep_hour"]
        assert [name for name, kind in columns(copy, "receipt") if kind == "INTEGER"] == ["id", "sweep_hour"]
        assert all(key >= 2**32 for key in list(secrets) + list(receipts))
        for row in list(secrets.values()) + list(receipts.values()):
            assert now // 3600 <= row["sweep_hour"] <= now // 3600 + 2 * 7 * 24 + 2
        for (day,) in copy.execute("SELECT received_day FROM tip"):
            assert abs(day - now // 86400) <= 1

        # Sizes: one shape for every secret row but the two large ones, which share a class of their own.
        small = {shape(row)[1:4] for row in secrets.values() if len(row["sealed"]) < 2048}
        assert len(small) == 1, small
        large = {len(row["sealed"]) for row in secrets.values() if len(row["sealed"]) >= 2048}
        assert len(large) == 1, large
        assert len({shape({k: v for k, v in row.items() if k != "sweep_hour"}) for row in receipts.values()}) == 1

        # Passphrases: secrets with and without one have the same columns, types, NULLs and lengths.
        by_passphrase = {}
        for entry in creates:
            row = secrets.get(row_id(entry["created"]["secret_key"], b"ashlsecr"))
            if row is not None and len(row["sealed"]) < 2048:
                by_passphrase.setdefault(bool(entry["passphrase"]), set()).add(shape({k: v for k, v in row.items() if k != "sweep_hour"}))
        assert by_passphrase[True] == by_passphrase[False] and len(by_passphrase[True]) == 1

        # Links: a clear value that a secret and its receipt share is shared by other secrets and
        # other receipts too, so joining on it never singles out a pair, in either direction.
        pairs = 0
        for entry in creates:
            secret = secrets.get(row_id(entry["created"]["secret_key"], b"ashlsecr"))
            receipt = receipts.get(row_id(entry["created"]["metadata_key"], b"ashlrcpt"))
            assert receipt is not None, "every receipt is still there"
            if secret is None:
                assert entry["fate"] != "unread"
                continue
            pairs += 1
            for value in set(secret.values()) & set(receipt.values()):
                assert any(value in row.values() for row in secrets.values() if row is not secret), f"{value!r} pairs them"
                assert any(value in row.values() for row in receipts.values() if row is not receipt), f"{value!r} pairs them"
        assert pairs >= 80
