"""The packaged binary, with the packaged configuration, serves create -> reveal over the Unix
socket, started the way ashlink.service starts it.

Paths are redirected to a temp folder: listen unix:<tmp>/run/http.sock, data_dir <tmp>/var.
The process runs as `nobody` with CAP_IPC_LOCK as its only (ambient) capability (User= +
AmbientCapabilities=), in its own network and IPC namespaces (PrivateNetwork=, PrivateIPC=),
under the unit's system-call allowlist and AF_UNIX-only sockets as a kill-by-default seccomp
filter, with no_new_privs, write-xor-execute memory, umask 077 and no core dumps (see
sandbox_exec.py). The socket directory stands in for /run/ashlink: setgid, owned by another
group (tor's, in production), which the socket must inherit with mode 0660.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ashlink_harness.commands import run
from ashlink_harness.http_client import proxy_line_for, request
from ashlink_harness.paths import PACKAGING
from ashlink_harness.procfs import proc_status

HERE = Path(__file__).resolve().parent
UNIT = PACKAGING / "ashlink.service"


def syscall_groups():
    """{@group: [members]} from `systemd-analyze syscall-filter`."""
    output = run(["systemd-analyze", "syscall-filter", "--no-pager"], check=True).stdout
    groups, current = {}, None
    for line in output.splitlines():
        if line.startswith("@"):
            current = line.strip()
            groups[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            groups[current].append(line.strip())
    return groups


def allowed_syscalls(unit_text):
    """The allowlist systemd builds from the unit's SystemCallFilter= lines, in order: the first
    (non-~) line starts the allowlist, later ~ lines remove from it, later plain lines add."""
    groups = syscall_groups()

    def expand(item, seen=()):
        if not item.startswith("@"):
            return {item}
        assert item in groups, f"unknown syscall group {item}"
        names = set()
        for member in groups[item]:
            if member not in seen:
                names |= expand(member, seen + (item,))
        return names

    allowed = None
    for line in unit_text.splitlines():
        if not line.startswith("SystemCallFilter="):
            continue
        value = line.split("=", 1)[1].strip()
        invert = value.startswith("~")
        names = set().union(*(expand(item) for item in value.lstrip("~").split()))
        if allowed is None:
            assert not invert, "test expects an allowlist"
            allowed = names
        elif invert:
            allowed -= names
        else:
            allowed |= names
    assert allowed, "ashlink.service has no SystemCallFilter="
    return sorted(allowed)


def redirected_config(text, socket_path, data_dir):
    text, listen_count = re.subn(r"(?m)^listen = .*$", f"listen = unix:{socket_path}", text)
    text, data_count = re.subn(r"(?m)^data_dir = .*$", f"data_dir = {data_dir}", text)
    assert listen_count == 1 and data_count == 1
    return text


@pytest.fixture
def sandbox_tools():
    for tool in ("setpriv", "unshare", "systemd-analyze"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed")
    if os.geteuid() != 0:
        pytest.skip("needs root to start the server as another user, like systemd does")


def test_packaged_binary_serves_create_and_reveal_over_the_unix_socket(unpacked, sandbox_tools):
    nobody = pwd.getpwnam("nobody")
    # The group standing in for _tor-ashlink: any group that is not the service's own.
    tor_group = next(g for g in ("daemon", "adm", "sys") if _group_exists(g) and grp.getgrnam(g).gr_gid != nobody.pw_gid)
    tor_gid = grp.getgrnam(tor_group).gr_gid

    folder = Path(tempfile.mkdtemp(prefix="ashlink-serve-", dir="/tmp"))
    process = None
    try:
        os.chmod(folder, 0o755)
        run_dir, data_dir = folder / "run", folder / "var"
        run_dir.mkdir()
        os.chown(run_dir, nobody.pw_uid, tor_gid)  # ExecStartPre=+install -d -m 2750 -o ashlink -g _tor-ashlink
        os.chmod(run_dir, 0o2750)
        data_dir.mkdir(mode=0o700)  # StateDirectory=ashlink, StateDirectoryMode=0700
        os.chown(data_dir, nobody.pw_uid, nobody.pw_gid)
        socket_path = run_dir / "http.sock"
        config = folder / "ashlink.conf"
        config.write_text(redirected_config((unpacked / "etc/ashlink/ashlink.conf").read_text(), socket_path, data_dir))
        os.chmod(config, 0o644)
        syscalls = folder / "syscalls"
        syscalls.write_text("\n".join(allowed_syscalls((unpacked / "lib/systemd/system/ashlink.service").read_text())) + "\n")
        os.chmod(syscalls, 0o644)
        helper = folder / "sandbox_exec.py"
        shutil.copy(HERE / "sandbox_exec.py", helper)
        os.chmod(helper, 0o644)
        log = open(folder / "stderr", "w+")

        command = [
            "unshare", "--net", "--ipc", "--",
            "setpriv", "--reuid", str(nobody.pw_uid), "--regid", str(nobody.pw_gid), "--clear-groups",
            "--inh-caps=-all,+ipc_lock", "--ambient-caps=+ipc_lock", "--bounding-set=-all,+ipc_lock", "--",
            "/usr/bin/python3", str(helper), str(syscalls),
            str(unpacked / "usr/sbin/ashlink"), "serve", "--config", str(config),
        ]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd="/")
        deadline = time.monotonic() + 30
        while not socket_path.exists():
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"ashlink exited with {process.returncode} before listening:\n{log.read()}")
            assert time.monotonic() < deadline, "no socket after 30 s"
            time.sleep(0.1)
        # chmod to socket_mode happens right after bind; give it a moment.
        deadline = time.monotonic() + 5
        while (socket_path.stat().st_mode & 0o777) != 0o660 and time.monotonic() < deadline:
            time.sleep(0.05)

        info = socket_path.stat()
        assert oct(info.st_mode & 0o777) == oct(0o660), "socket_mode 0660 not applied"
        assert info.st_uid == nobody.pw_uid
        assert info.st_gid == tor_gid, "the socket must inherit the setgid directory's group (tor's)"

        secret = "the files are in locker 12 \u2014 \u00e9t\u00e9"
        address = f"unix:{socket_path}"
        # The packaged configuration reads tor's PROXY line (proxy_protocol = on), as tor sends it.
        tor_stream = proxy_line_for(0x2A)
        reply = request(address, "POST", "/api/v1/share", {"secret": secret, "ttl": "3600"}, proxy_line=tor_stream)
        assert reply.status == 200, reply.body
        created = reply.json()
        assert created["secret_key"] and created["metadata_key"]

        reply = request(address, "POST", f"/api/v1/secret/{created['secret_key']}", {}, proxy_line=tor_stream)
        assert reply.status == 200, reply.body
        assert reply.json()["value"] == secret

        reply = request(address, "POST", f"/api/v1/secret/{created['secret_key']}", {}, proxy_line=tor_stream)
        assert reply.status == 404, "a secret must open only once"

        fields = proc_status(process.pid)
        assert fields["Uid"].split()[0] == str(nobody.pw_uid)
        assert fields["NoNewPrivs"].strip() == "1" and fields["Seccomp"].strip() == "2"
        assert int(fields["CapEff"], 16) & ~(1 << 14) == 0, "no capability beyond CAP_IPC_LOCK"
        # systemd's AmbientCapabilities= puts CAP_IPC_LOCK in the inheritable and ambient sets too.
        assert int(fields["CapInh"], 16) == 0 and int(fields["CapAmb"], 16) == 0, fields
        print(f"VmLck {fields.get('VmLck', '?').strip()}, VmRSS {fields.get('VmRSS', '?').strip()}, threads {fields['Threads'].strip()}")

        # Nothing in the vault is readable by anyone but the service account.
        for path in data_dir.rglob("*"):
            assert path.stat().st_mode & 0o077 == 0, f"{path} is group/world accessible"

        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("ashlink did not stop within 15 s of SIGTERM")
        log.seek(0)
        output = log.read()
        assert process.returncode != -signal.SIGSYS, f"killed by the seccomp filter:\n{output}"
        assert process.returncode == 0, f"exit status {process.returncode}:\n{output}"
    finally:
        if process and process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False
