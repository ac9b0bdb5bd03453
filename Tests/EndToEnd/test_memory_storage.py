"""storage = memory: the vault lives in the server's locked memory. Secrets and tips work as on
disk, nothing that holds them reaches a file, the locked memory grows with what is stored, a
restart forgets everything, and quotas that do not fit the lock budget are refused at start."""

import os
import resource
import secrets
import subprocess

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.ports import free_port
from ashlink_harness.procfs import proc_status
from ashlink_harness.server import reachable_copy
from test_at_rest import token_encodings
from test_confinement import assert_confined
from test_inbox_api import TIPS, Inbox, ask
from test_tip_page import assert_nowhere_in, marker, post_tip, spellings

MEBIBYTE = 1 << 20
# Large secrets, so that what is stored shows in the locked memory; a small inbox quota, since
# every byte of it is budgeted in memory.
MEMORY = ("storage = memory\nsweep_interval_seconds = 1\nmax_secret_bytes = 1048576\nmax_body_bytes = 4194304\nmax_stored_bytes = 134217728\n"
          "inbox_max_stored_bytes = 67108864\ninbox_max_tip_bytes = 16777216\n")


def locked_kib(server):
    return int(proc_status(server.process.pid)["VmLck"].split()[0])


def share(server, secret):
    # Short-lived, so that the storage budget's byte-minutes hold all of them.
    reply = server.request("POST", "/api/v1/share", {"secret": secret, "ttl": "300"})
    assert reply.status == 200, reply.text
    return reply.json()


@pytest.mark.skipif(os.geteuid() != 0, reason="memory is locked by CAP_IPC_LOCK, which needs root to start with")
def test_secrets_and_tips_live_in_locked_memory_and_a_restart_forgets_them(start_server, workdir):
    inbox = Inbox(workdir)
    inbox_listen = f"127.0.0.1:{free_port()}"
    config = MEMORY + inbox.config(inbox_listen)
    data_dir = workdir / "var"
    data_dir.mkdir(mode=0o700)
    server = start_server(config=config, data_dir=data_dir)
    before = locked_kib(server)

    plaintexts, tokens = [], []
    revealed_text = "MEMORY-MARKER-revealed " + secrets.token_hex(8)
    kept_text = "MEMORY-MARKER-kept " + secrets.token_hex(8)
    revealed, kept = share(server, revealed_text), share(server, kept_text)
    assert server.request("POST", f"/api/v1/secret/{revealed['secret_key']}").json()["value"] == revealed_text
    again = server.request("POST", f"/api/v1/secret/{revealed['secret_key']}")
    assert again.status == 404
    plaintexts += spellings(revealed_text) + spellings(kept_text)
    tokens += [revealed["secret_key"], revealed["metadata_key"], kept["secret_key"], kept["metadata_key"]]

    # A tip with an attachment: its parts are staged in memory as well.
    text = marker()
    attachment = ("ATTACHMENT-MARKER-" + secrets.token_hex(8)).encode() * 4096
    tip = post_tip(server, text.encode(), files=[("notes.txt", attachment)])
    assert tip.status == 200, tip.text
    plaintexts += spellings(text) + [attachment[:64]]
    listed = ask(inbox_listen, "GET", TIPS, inbox.token).json()["tips"]
    assert len(listed) == 1

    # 48 MiB of secrets, as random text that no page of code or library could hold already.
    for _ in range(48):
        tokens.append(share(server, secrets.token_hex(MEBIBYTE // 2))["secret_key"])
    grown = locked_kib(server) - before
    assert grown >= 36 * 1024, f"VmLck grew by {grown} KiB only after 48 MiB were stored"
    # All of it under the filter, expiry sweeps of the database in memory included, with Landlock
    # granting no writable folder at all (the listeners are TCP).
    assert_confined(server.process.pid)
    assert "landlock ABI" in server.log_path.read_text()

    needles = set(plaintexts)
    for token in tokens:
        needles |= token_encodings(token)
    assert os.listdir(data_dir) == [], "a vault in memory writes nothing in the data directory"
    assert_nowhere_in(workdir, needles)  # nor anywhere else the server could write
    assert server.stop() == 0
    assert_nowhere_in(workdir, needles)

    server = start_server(config=config, data_dir=data_dir)
    gone = server.request("POST", f"/api/v1/secret/{kept['secret_key']}")
    unknown = server.request("POST", f"/api/v1/secret/{'a' * 52}")
    assert (gone.status, gone.json()) == (unknown.status, unknown.json()) == (404, {"message": "Unknown secret"})
    assert server.request("POST", f"/api/v1/private/{kept['metadata_key']}").status == 404
    assert ask(inbox_listen, "GET", TIPS, inbox.token).json() == {"tips": []}
    assert os.listdir(data_dir) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="setpriv to another account needs root")
def test_quotas_beyond_the_lock_budget_are_refused_naming_the_keys(workdir):
    """As nobody without CAP_IPC_LOCK, under an RLIMIT_MEMLOCK below what the quotas need (which
    quotas fit a limit is the unit tests' part: raising a hard limit needs CAP_SYS_RESOURCE)."""
    limit = min(resource.getrlimit(resource.RLIMIT_MEMLOCK)[1], 512 * MEBIBYTE)
    config = workdir / "memory.conf"
    config.write_text("storage = memory\n")
    os.chmod(config, 0o644)
    command = ["prlimit", f"--memlock={limit}:{limit}", "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
               "--inh-caps=-all", str(reachable_copy(workdir)), "serve", "--listen", "127.0.0.1:1",
               "--data-dir", str(workdir / "var"), "--config", str(config)]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "storage = memory needs" in refused.stderr and f"RLIMIT_MEMLOCK allows {-(-limit // MEBIBYTE)} MiB" in refused.stderr
    for key in ("max_stored_bytes", "max_secrets", "LimitMEMLOCK", "storage = ephemeral"):
        assert key in refused.stderr, refused.stderr
    assert not (workdir / "var").exists()


def test_check_config_accepts_memory_and_lists_the_modes_otherwise(workdir):
    config = workdir / "ashlink.conf"
    config.write_text("storage = memory\n")
    accepted = run_ashlink("check-config", "--config", str(config))
    assert accepted.returncode == 0, accepted.stderr
    assert "memory: up to" in accepted.stdout and "data_dir not used" in accepted.stdout
    for command in (["stats"], ["purge", "--expired"]):
        unreachable = run_ashlink(*command, "--config", str(config), "--data-dir", str(workdir / "var"))
        assert unreachable.returncode == 1 and "only in the running server's memory" in unreachable.stderr, unreachable.stderr
    assert not (workdir / "var").exists()

    config.write_text("storage = tmpfs\n")
    refused = run_ashlink("check-config", "--config", str(config))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "must be one of 'durable', 'ephemeral', 'memory'" in refused.stderr

    config.write_text("storage = memory\nmax_stored_bytes = 2147483648\n")
    too_large = run_ashlink("check-config", "--config", str(config))
    assert too_large.returncode == 1 and too_large.stderr.count("\n") == 1
    assert "an in-memory database can hold" in too_large.stderr and "max_stored_bytes" in too_large.stderr


def test_doctor_says_what_each_mode_keeps_where(workdir):
    config = workdir / "ashlink.conf"
    lines = {}
    for mode in ("durable", "ephemeral", "memory"):
        config.write_text(f"storage = {mode}\n")
        doctor = run_ashlink("doctor", "--config", str(config), "--data-dir", str(workdir / "var"))
        [line] = [line for line in doctor.stdout.splitlines() if line[5:].startswith("storage ")]
        lines[mode] = line
    assert "on disk" in lines["durable"] and "kept across restarts" in lines["durable"]
    assert "tmpfs" in lines["ephemeral"] and "swapped out" in lines["ephemeral"]
    assert "locked memory" in lines["memory"] and "lost at every restart" in lines["memory"]
    assert lines["memory"].startswith("ok ") or os.geteuid() != 0
