"""The running server is memory-locked, not dumpable, unprivileged and under the seccomp filter,
and still serves a whole create → reveal → burn → expiry cycle (so the allowlist is complete)."""

import os
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from ashlink_harness.paths import BINARY, SUPPORT
from ashlink_harness.ports import free_port
from ashlink_harness.procfs import proc_status
from ashlink_harness.server import AS_SERVICE_ACCOUNT, Server, reachable_copy

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop and setpriv need root (CI runs as root)")

NOBODY = 65534
IPC_LOCK = 1 << 14
# As on a kernel without Landlock: landlock_create_ruleset answers ENOSYS (see the script).
WITHOUT_LANDLOCK = ["/usr/bin/python3", str(SUPPORT / "ashlink_harness" / "without_landlock.py")]


def assert_confined(pid):
    fields = proc_status(pid)
    assert fields["Seccomp"] == "2"
    assert fields["NoNewPrivs"] == "1"
    assert int(fields["VmLck"].split()[0]) > 0, "memory is not locked"
    assert fields["Uid"].split() == [str(NOBODY)] * 4
    assert fields["Gid"].split()[0] == str(NOBODY)
    assert fields["Groups"] == ""
    assert_capabilities(pid, effective=IPC_LOCK)
    # A non-dumpable process's /proc entries belong to root, not to the process's own uid.
    assert os.stat(f"/proc/{pid}/status").st_uid == 0, "the process is dumpable"
    for task in os.listdir(f"/proc/{pid}/task"):
        task_status = Path(f"/proc/{pid}/task/{task}/status").read_text()
        assert "Seccomp:\t2" in task_status, f"thread {task} is not filtered"


def assert_capabilities(pid, effective):
    """On every thread: effective = permitted = `effective`, inheritable and ambient empty."""
    for task in os.listdir(f"/proc/{pid}/task"):
        fields = proc_status(f"{pid}/task/{task}")
        sets = {name: int(fields[name], 16) for name in ("CapEff", "CapPrm", "CapInh", "CapAmb")}
        assert sets == {"CapEff": effective, "CapPrm": effective, "CapInh": 0, "CapAmb": 0}, f"thread {task}: {fields}"


def test_started_as_root_it_drops_to_the_configured_user_and_confines_itself(start_server):
    server = start_server()
    assert_confined(server.process.pid)
    log = server.log_path.read_text()
    assert "confined:" in log and "seccomp" in log.lower()


def test_started_unprivileged_with_cap_ipc_lock_it_works_as_systemd_starts_it(workdir):
    binary = reachable_copy(workdir)
    data_dir = workdir / "var"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    command = AS_SERVICE_ACCOUNT + [str(binary)]
    server = Server(data_dir, home=workdir, command=command, drop_root=False)
    try:
        assert_confined(server.process.pid)
        created = server.request("POST", "/api/v1/share", {"secret": "as systemd runs it"}).json()
        assert server.request("POST", f"/api/v1/secret/{created['secret_key']}").json()["value"] == "as systemd runs it"
    finally:
        assert server.stop() == 0


def test_root_without_a_user_is_refused(workdir):
    result = subprocess.run([BINARY, "serve", "--listen", "127.0.0.1:1", "--data-dir", str(workdir / "var")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "refusing to serve as root" in result.stderr
    assert not (workdir / "var").exists()


def test_unlocked_memory_is_refused_unless_allowed(workdir):
    binary = reachable_copy(workdir)
    data_dir = workdir / "var"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", str(binary),
                 "serve", "--listen", "127.0.0.1:1", "--data-dir", str(data_dir)]
    result = subprocess.run(as_nobody, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "cannot lock memory" in result.stderr and "CAP_IPC_LOCK" in result.stderr and "LimitMEMLOCK" in result.stderr


def test_full_cycle_under_the_filter_including_the_expiry_sweep(start_server, workdir):
    server = start_server(config="sweep_interval_seconds = 1\n")
    keep = server.request("POST", "/api/v1/share", {"secret": "revealed"}).json()
    burn = server.request("POST", "/api/v1/share", {"secret": "burned"}).json()
    expire = server.request("POST", "/api/v1/share", {"secret": "expires", "passphrase": "pw"}).json()
    assert server.request("POST", f"/api/v1/secret/{keep['secret_key']}").json()["value"] == "revealed"
    assert server.request("POST", f"/api/v1/private/{burn['metadata_key']}/burn").status == 200
    assert server.request("POST", f"/api/v1/secret/{expire['secret_key']}", {"passphrase": "wrong"}).status == 404
    assert server.stop() == 0

    # Bring the remaining rows' sweep hours (their only clear time) into the past by hand, as if
    # they had come while the server was down.
    database = sqlite3.connect(server.data_dir / "vault.sqlite3")
    database.execute("UPDATE secret SET sweep_hour = 1")
    database.execute("UPDATE receipt SET sweep_hour = 1")
    database.commit()
    database.close()

    server = start_server(config="sweep_interval_seconds = 1\n")
    # The sweep runs under the filter; it logs nothing of its own (the aggregate line counts it).
    # It takes the tables slice by slice, so both are waited for; 60 s is for a loaded machine.
    deadline = time.monotonic() + 60
    while server.count_rows("secret", "receipt") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server.count_rows("secret", "receipt") == 0
    assert server.request("POST", f"/api/v1/private/{expire['metadata_key']}").status == 404
    assert "swept" not in server.log_path.read_text()
    assert_confined(server.process.pid)
    assert server.request("GET", "/").status == 200
    assert server.stop() == 0


def unprivileged_server(workdir, command, config=None):
    """The server started as nobody through `command` (a setpriv line ending in the binary)."""
    data_dir = workdir / "var"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, NOBODY, NOBODY)
    return Server(data_dir, home=workdir, command=command, drop_root=False, config=config)


def test_extra_ambient_capabilities_are_dropped(workdir):
    """systemd's AmbientCapabilities= with one capability too many: only CAP_IPC_LOCK stays."""
    binary = reachable_copy(workdir)
    command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
               "--inh-caps=-all,+ipc_lock,+net_bind_service", "--ambient-caps=+ipc_lock,+net_bind_service", str(binary)]
    server = unprivileged_server(workdir, command)
    try:
        assert_capabilities(server.process.pid, effective=IPC_LOCK)
        assert "caps=CAP_IPC_LOCK ambient=none" in server.log_path.read_text()
        created = server.request("POST", "/api/v1/share", {"secret": "after the drop"}).json()
        assert server.request("POST", f"/api/v1/secret/{created['secret_key']}").json()["value"] == "after the drop"
    finally:
        assert server.stop() == 0


def test_extra_file_capabilities_are_dropped(workdir):
    """A copy of the binary carrying cap_net_raw beside cap_ipc_lock, run as nobody: the raw
    socket capability is gone from every thread once it serves."""
    binary = reachable_copy(workdir)
    subprocess.run(["setcap", "cap_net_raw,cap_ipc_lock+ep", str(binary)], check=True)
    command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", str(binary)]
    server = unprivileged_server(workdir, command)
    try:
        assert_capabilities(server.process.pid, effective=IPC_LOCK)
        assert server.request("GET", "/api/v1/status").status == 200
    finally:
        assert server.stop() == 0


def test_without_landlock_it_refuses_unless_the_setting_allows_it(workdir, start_server):
    data_dir = workdir / "var"
    refused = subprocess.run(WITHOUT_LANDLOCK + [BINARY, "serve", "--listen", f"127.0.0.1:{free_port()}", "--data-dir", str(data_dir),
                                                 "--user", "nobody"], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "Landlock is not available" in refused.stderr and "allow_without_landlock" in refused.stderr, refused.stderr
    doctor = subprocess.run(WITHOUT_LANDLOCK + [BINARY, "doctor", "--data-dir", str(data_dir)],
                            capture_output=True, text=True, timeout=60)
    assert re.search(r"^FAIL\s+landlock\s+not available: kernel has no Landlock", doctor.stdout, re.M), doctor.stdout
    assert doctor.returncode == 1

    server = start_server(command=WITHOUT_LANDLOCK + [BINARY], config="allow_without_landlock = true\n")
    assert "landlock off (kernel has no Landlock" in server.log_path.read_text()
    assert proc_status(server.process.pid)["Seccomp"] == "2"
    assert server.request("GET", "/api/v1/status").status == 200
