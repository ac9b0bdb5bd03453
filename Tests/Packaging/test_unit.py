"""ashlink.service: exposure score, `systemd-analyze verify`, and what the sandbox must hold."""

import os
import re
import shutil

import pytest

from ashlink_harness.commands import run
from ashlink_harness.paths import PACKAGING, REPOSITORY

UNIT = PACKAGING / "ashlink.service"


def directives(text=None):
    """[(key, value)] of the [Service] section, in order."""
    text = text if text is not None else UNIT.read_text()
    section, pairs = None, []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        pairs.append((section, key.strip(), value.strip()))
    return pairs


def service(key):
    return [value for section, name, value in directives() if section == "[Service]" and name == key]


def require_systemd_analyze():
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")


def test_exposure_score_at_most_1_0():
    require_systemd_analyze()
    result = run(["systemd-analyze", "security", "--offline=true", "--no-pager", str(UNIT)])
    match = re.search(r"Overall exposure level for ashlink\.service: (\d+(?:\.\d+)?)", result.stdout)
    assert match, result.stdout + result.stderr
    score = float(match.group(1))
    print(f"exposure {score}")
    assert score <= 1.0, result.stdout


def test_systemd_analyze_verify_is_clean(unpacked, tmp_path):
    """verify needs the programs the unit runs to exist: point the copy at the packaged binary
    and let man(1) find the packaged page for Documentation=man:ashlink(8)."""
    require_systemd_analyze()
    binary = unpacked / "usr/sbin/ashlink"
    unit = tmp_path / "ashlink.service"
    unit.write_text(UNIT.read_text().replace("/usr/sbin/ashlink", str(binary)))
    env = {**os.environ, "MANPATH": f"{unpacked / 'usr/share/man'}:"}
    result = run(["systemd-analyze", "verify", "--no-pager", str(unit)], env=env)
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stdout + result.stderr


def test_runs_as_its_own_user_with_only_cap_ipc_lock():
    assert service("User") == ["ashlink"] and service("Group") == ["ashlink"]
    assert service("AmbientCapabilities") == ["CAP_IPC_LOCK"]
    assert service("CapabilityBoundingSet") == ["CAP_IPC_LOCK"]
    assert service("NoNewPrivileges") == ["yes"]
    # In a user namespace CAP_IPC_LOCK would no longer lift the memlock limit for mlockall.
    assert service("PrivateUsers") in ([], ["no"])


@pytest.mark.parametrize("key,value", [
    ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"), ("PrivateDevices", "yes"),
    ("PrivateNetwork", "yes"), ("RestrictAddressFamilies", "AF_UNIX"), ("IPAddressDeny", "any"),
    ("MemoryDenyWriteExecute", "yes"), ("LockPersonality", "yes"), ("ProtectKernelTunables", "yes"),
    ("ProtectKernelModules", "yes"), ("ProtectKernelLogs", "yes"), ("ProtectControlGroups", "yes"),
    ("ProtectClock", "yes"), ("ProtectHostname", "yes"), ("ProtectProc", "invisible"),
    ("RestrictNamespaces", "yes"), ("RestrictRealtime", "yes"), ("RestrictSUIDSGID", "yes"),
    ("UMask", "0077"), ("LimitCORE", "0"), ("MemoryMax", "1536M"), ("MemorySwapMax", "0"), ("SystemCallArchitectures", "native"),
    ("ReadWritePaths", "-/run/ashlink"), ("StateDirectory", "ashlink"), ("StateDirectoryMode", "0700"),
    ("LimitNICE", "-4"),
])
def test_sandbox_directive(key, value):
    assert service(key) == [value]


def test_socket_directory_goes_to_tors_group():
    """tor keeps only its primary group (_tor-ashlink): the socket directory must carry it, setgid."""
    # RuntimeDirectory= would hand the folder back to ashlink:ashlink before every command.
    assert service("RuntimeDirectory") == [] and service("RuntimeDirectoryMode") == []
    # First, so that check-config's sandbox already finds the folder it makes writable.
    assert service("ExecStartPre")[0] == "+/usr/bin/install -d -m 2750 -o ashlink -g _tor-ashlink /run/ashlink"


def test_unit_matches_packaged_configuration():
    conf = {}
    for line in (PACKAGING / "ashlink.conf").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            conf[key.strip()] = value.strip()
    assert conf["listen"] == "unix:/run/ashlink/http.sock"  # in the folder ExecStartPre makes for tor
    assert conf["data_dir"] == "/var/lib/ashlink"  # StateDirectory=ashlink
    assert "user" not in conf and "group" not in conf  # the unit starts it unprivileged already
    assert service("ExecStart") == ["/usr/sbin/ashlink serve --config /etc/ashlink/ashlink.conf"]
    torrc = (PACKAGING / "tor-instance.torrc").read_text()
    assert re.search(r"^HiddenServicePort 80 unix:/run/ashlink/http\.sock$", torrc, re.M)


def test_inbox_socket_sits_in_the_folder_the_unit_makes_writable():
    """The inbox onion's socket (torrc, ashlink.conf's commented inbox_listen) is in /run/ashlink:
    the folder ExecStartPre hands to tor's group and ReadWritePaths opens, so turning the inbox on
    needs no change to the unit."""
    torrc = (PACKAGING / "tor-instance.torrc").read_text()
    inbox = re.search(r"^HiddenServicePort 80 unix:(/run/ashlink/inbox\.sock)$", torrc, re.M)
    assert inbox, "the packaged torrc has no inbox onion on /run/ashlink/inbox.sock"
    conf = (PACKAGING / "ashlink.conf").read_text()
    assert re.search(rf"^# inbox_listen = unix:{re.escape(inbox.group(1))}$", conf, re.M)
    folder = os.path.dirname(inbox.group(1))
    assert service("ReadWritePaths") == [f"-{folder}"]
    assert service("ExecStartPre")[0].endswith(f" {folder}")


def test_tor_locks_its_memory_with_what_its_unit_needs():
    """tor carries the same plaintext: DisableAllSwap 1 in both torrcs, and the instance's drop-in
    lifts RLIMIT_MEMLOCK, without which tor dies at its first allocation after dropping root."""
    for torrc in (PACKAGING / "tor-instance.torrc", REPOSITORY / "torrc.example"):
        assert re.search(r"^DisableAllSwap 1$", torrc.read_text(), re.M), torrc
    drop_in = directives((PACKAGING / "tor-instance-memory-lock.conf").read_text())
    assert drop_in == [("[Service]", "LimitMEMLOCK", "infinity")]
    build = (PACKAGING / "build-deb").read_text()
    assert "lib/systemd/system/tor@ashlink.service.d/ashlink-memory-lock.conf" in build
