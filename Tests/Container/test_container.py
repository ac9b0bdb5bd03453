"""The Debian package under a real systemd (PID 1 in systemd-nspawn), as a newsroom installs it.

One scenario, in order: the previous release is installed into a fresh debootstrapped Debian 12
and serves a secret; this tree's package is installed over it (an upgrade); the booted system is
checked from inside (units, /proc, the socket as tor's account sees it, doctor, the journal,
a restart, Landlock refused); then `apt-get remove` and `apt-get purge`. Needs root,
debootstrap and systemd-nspawn (`make test` installs them) and the .deb from `make deb`.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from ashlink_harness.http_client import exchange, through_socks
from ashlink_harness.paths import find_deb
from ashlink_harness.onion_client import wait_until_reachable
from ashlink_harness.tornet import TorNetwork
from ashlink_harness.tornode import TEST_NETWORK_OPTIONS
from container import HERE, Container

# Whether this host lets a process (so the container's systemd) lift RLIMIT_MEMLOCK.
HOST_LIFTS_MEMLOCK = subprocess.run(["prlimit", "--memlock=unlimited:unlimited", "true"], capture_output=True).returncode == 0

UPGRADE_VALUE = "kept-across-the-upgrade"
RESTART_VALUE = "kept-across-a-restart"
ONION_VALUE = "carried-by-the-packaged-tor"


@pytest.fixture(scope="module")
def container():
    deb = find_deb()
    if deb is None or not deb.is_file():
        pytest.skip("no .deb built: run `make deb` first, or set ASHLINK_DEB")
    if os.geteuid() != 0 or not shutil.which("systemd-nspawn") or not shutil.which("debootstrap"):
        pytest.skip("needs root, systemd-nspawn (systemd-container) and debootstrap")
    box = Container()
    box.deb = deb
    yield box
    box.remove()


@pytest.fixture(scope="module")
def upgraded(container, tmp_path_factory):
    """Previous release installed and serving a secret, then this package installed over it,
    then one boot's worth of checks from inside. Returns what the checks saw."""
    # The previous release's packaging around this package's binary (see previous-release-deb).
    unpacked = tmp_path_factory.mktemp("this-release")
    subprocess.run(["dpkg-deb", "-x", str(container.deb), str(unpacked)], check=True)
    previous = subprocess.run(
        [str(HERE / "previous-release-deb"), str(unpacked / "usr/sbin/ashlink"), str(tmp_path_factory.mktemp("previous"))],
        check=True, capture_output=True, text=True).stdout.strip()
    container.install(previous)
    # A container refuses Landlock; the documented setting lets the package serve there.
    conf = container.path("/etc/ashlink/ashlink.conf")
    conf.write_text(conf.read_text() + "\nallow_without_landlock = true\n")
    seeded = container.boot("seed")
    assert seeded["ashlink_active"] == "active", seeded
    created = json.loads(seeded["created.json"])
    container.secret_keys = [created["secret_key"], created["metadata_key"]]

    container.install(container.deb)
    # The upgrade keeps the edited ashlink.conf, while the unedited torrc is replaced and now
    # sends tor's PROXY line: postinst gives the kept file the matching setting.
    assert re.search(r"^proxy_protocol = on$", conf.read_text(), re.M), conf.read_text()
    if not HOST_LIFTS_MEMLOCK:
        # tor's DisableAllSwap needs the drop-in's LimitMEMLOCK=infinity, which systemd can only
        # grant where it may raise RLIMIT_MEMLOCK (CAP_SYS_RESOURCE); without it tor dies at start.
        torrc = container.path("/etc/tor/instances/ashlink/torrc")
        torrc.write_text(torrc.read_text().replace("\nDisableAllSwap 1\n", "\nDisableAllSwap 0\n"))
    container.path("/root/upgrade_key").write_text(created["secret_key"])
    results = container.boot("main")
    restart = json.loads(results.get("restart_created.json") or "{}")
    container.secret_keys += [restart.get("secret_key", "?"), restart.get("metadata_key", "?")]
    return results


def proc_field(status, name):
    match = re.search(rf"^{name}:\s*(.*)$", status, re.M)
    return match.group(1).strip() if match else None


def test_units_active_after_the_upgrade(upgraded):
    assert upgraded["ashlink_active"] == "active", upgraded.get("journal", "")[-3000:]
    assert upgraded["tor_active"] == "active"


def test_process_is_confined(upgraded, container):
    status = upgraded["proc_status"]
    uid = container.run("getent", "passwd", "ashlink").stdout.split(":")[2]
    assert proc_field(status, "Uid").split() == [uid] * 4
    assert proc_field(status, "Seccomp") == "2"
    assert proc_field(status, "NoNewPrivs") == "1"
    assert proc_field(status, "CapEff") == "0000000000004000"  # CAP_IPC_LOCK alone
    assert int(proc_field(status, "VmLck").split()[0]) > 0


def test_packaged_tor_keeps_its_memory_out_of_swap(upgraded):
    """DisableAllSwap 1 and the drop-in's LimitMEMLOCK=infinity: tor runs as _tor-ashlink, locked."""
    if not HOST_LIFTS_MEMLOCK:
        pytest.skip("systemd cannot lift RLIMIT_MEMLOCK here (no CAP_SYS_RESOURCE on this host): DisableAllSwap was turned off")
    assert re.search(r"^Max locked memory\s+unlimited\s+unlimited", upgraded["tor_limits"], re.M), upgraded["tor_limits"]
    assert int(proc_field(upgraded["tor_status"], "VmLck").split()[0]) > 0


def test_only_tor_and_ashlink_reach_the_socket(upgraded):
    assert upgraded["folder"] == "ashlink:_tor-ashlink 2750"
    assert upgraded["socket"] == "ashlink:_tor-ashlink 660"
    assert upgraded["as_tor"] == "200"
    assert upgraded["as_nobody"] != "200"


def test_tor_publishes_the_inbox_onion_into_the_socket_folder(upgraded):
    """The upgrade's torrc brings the inbox onion: tor made its folder (its own, 0700) with an
    empty authorized_clients/ for the journalists' keys, and its socket lies in the folder that
    ashlink.service makes for tor's group and opens for writing, next to the public socket."""
    for folder in ("inbox_folder", "inbox_clients"):  # tor's alone (setgid inherited from its data folder)
        owners, mode = upgraded[folder].split()
        assert owners == "_tor-ashlink:_tor-ashlink" and mode[-3:] == "700", (folder, upgraded[folder])
    assert upgraded["inbox_client_files"] == "0"
    assert re.fullmatch(r"[a-z2-7]{56}\.onion", upgraded["inbox_address"]), upgraded["inbox_address"]
    assert upgraded["inbox_socket"] == "/run/ashlink/inbox.sock"
    writable = [path.lstrip("-") for path in upgraded["read_write_paths"].split()]
    assert os.path.dirname(upgraded["inbox_socket"]) in writable, upgraded["read_write_paths"]
    assert os.path.dirname(upgraded["inbox_socket"]) == os.path.dirname("/run/ashlink/http.sock")


def test_restart_keeps_the_folder_and_the_secrets(upgraded):
    assert upgraded["restarted_active"] == "active"
    assert upgraded["restarted_folder"] == "ashlink:_tor-ashlink 2750"
    assert upgraded["restarted_as_tor"] == "200"
    assert json.loads(upgraded["restart_reveal.json"])["value"] == RESTART_VALUE


def test_upgrade_keeps_the_vault(upgraded):
    assert json.loads(upgraded["upgrade_reveal.json"])["value"] == UPGRADE_VALUE


def test_doctor_is_ready_and_tried_tors_account(upgraded):
    assert upgraded["doctor_rc"] == "0", upgraded["doctor"]
    assert re.search(r"^ok\s+tor reaches socket\s+_tor-ashlink .* connected to /run/ashlink/http\.sock$", upgraded["doctor"], re.M), upgraded["doctor"]
    assert upgraded["doctor"].rstrip().endswith("ready for production")


def test_landlock_refused_means_no_service_unless_allowed(upgraded):
    landlock = re.search(r"^(\S+)\s+landlock\s+(.*)$", upgraded["doctor"], re.M)
    if landlock.group(1) == "ok":
        pytest.skip("this container allows Landlock: nothing is refused")
    assert landlock.group(1) == "warn" and "allow_without_landlock = true" in landlock.group(2)
    assert upgraded["refused_active"] != "active"
    assert upgraded["refused_doctor_rc"] == "1"
    assert re.search(r"^FAIL\s+landlock\s+not available", upgraded["refused_doctor"], re.M)
    assert "Landlock is not available" in upgraded["journal"]
    assert upgraded["recovered_active"] == "active"


def test_journal_holds_no_request_data(upgraded, container):
    journal = upgraded["journal"]
    for secret in container.secret_keys + [UPGRADE_VALUE, RESTART_VALUE]:
        assert secret not in journal
    for request_data in ("/api/v1/", "/secret/", "/private/", "curl", "User-Agent"):
        assert request_data not in journal
    assert "serving on unix:/run/ashlink/http.sock" in journal


def test_thread_priority_warning_is_quiet_where_the_limit_applies(upgraded):
    """The unit's LimitNICE=-4 lets libdispatch's manager thread take the nice value it asks for.
    systemd can only raise RLIMIT_NICE with CAP_SYS_RESOURCE, which some sandboxes lack."""
    limit = re.search(r"^Max nice priority\s+(\d+)", upgraded["proc_limits"], re.M)
    if int(limit.group(1)) < 24:
        pytest.skip("systemd could not apply LimitNICE=-4 here (no CAP_SYS_RESOURCE on this host)")
    assert "Failed to set thread priority" not in upgraded["journal"]


def test_exposure_stays_safe(upgraded):
    score = re.search(r"Overall exposure level for ashlink\.service: ([0-9.]+)", upgraded["exposure"])
    assert score and float(score.group(1)) <= 1.0, upgraded["exposure"][-500:]


def test_an_onion_request_travels_through_the_packaged_tor(upgraded, container):
    """The container's tor@ashlink joins a private Tor network on the host's loopback (nspawn
    shares it): a client of that network creates and reveals a secret through the onion, so the
    request crosses the packaged tor instance, its torrc and the socket folder's permissions."""
    torrc = container.path("/etc/tor/instances/ashlink/torrc")
    packaged = torrc.read_text()
    seen = {}
    with TorNetwork(authorities=3, relays=1) as network:
        network.start_directory()
        network.wait_for_consensus()
        torrc.write_text(f"{packaged}\n## The test's private Tor network\n{TEST_NETWORK_OPTIONS}{network.dir_authority_lines()}\n")
        client = network.start_client("reader")

        def through_the_onion():
            try:
                client.wait_for_log(r"Bootstrapped 100%", timeout=90)
                address = container.path("/var/lib/tor-instances/ashlink/hidden_service/hostname").read_text().strip()
                wait_until_reachable(client, address, timeout=150)
                created = exchange(through_socks(client.socks_port, address, timeout=30), "POST", "/api/v1/share",
                                   {"secret": ONION_VALUE}).json()
                seen["revealed"] = exchange(through_socks(client.socks_port, address, timeout=30), "POST",
                                            f"/api/v1/secret/{created['secret_key']}", {}).json()
            finally:
                container.path("/root/onion-done").touch()

        results = container.boot("onion", while_up=through_the_onion)
    torrc.write_text(packaged)
    container.path("/root/onion-done").unlink()
    assert results["tor_active"] == "active"
    assert seen["revealed"]["value"] == ONION_VALUE


def test_remove_keeps_vault_and_configuration_then_purge_removes_them(upgraded, container):
    container.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "-q", "ashlink")
    assert any(container.path("/var/lib/ashlink").iterdir()), "remove must keep the vault"
    assert container.path("/etc/ashlink/ashlink.conf").is_file()
    assert container.run("getent", "passwd", "ashlink", check=False).returncode == 0

    container.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q", "ashlink")
    assert not container.path("/var/lib/ashlink").exists()
    assert not container.path("/etc/ashlink").exists()
    assert container.run("getent", "passwd", "ashlink", check=False).returncode != 0
    assert container.run("getent", "group", "ashlink", check=False).returncode != 0
    # The onion's keys are tor's and stay (ashlink(8): delete them to retire the address).
    assert container.path("/var/lib/tor-instances/ashlink/hidden_service/hs_ed25519_secret_key").is_file()
