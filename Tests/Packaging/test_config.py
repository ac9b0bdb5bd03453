"""The packaged configuration files: ashlink.conf, the tor instance's torrc, the journald drop-in."""

import re
import shutil

import pytest

from ashlink_harness.commands import run
from ashlink_harness.paths import PACKAGING, REPOSITORY

# Keys whose packaged value differs from the example's development default, on purpose.
PACKAGE_SPECIFIC = {"listen", "data_dir", "public_url", "public_url_from_hidden_service_dir", "user", "group",
                    "proxy_protocol"}


def settings(text, commented=False):
    """{key: value} of `key = value` lines; with commented=True also of `# key = value` lines."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if commented and re.match(r"^#\s*[a-z][a-z0-9_]*\s*=", line):
            line = line.lstrip("#").strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        found[key.strip()] = value.strip()
    return found


def test_packaged_config_production_values():
    active = settings((PACKAGING / "ashlink.conf").read_text())
    assert active == {
        "listen": "unix:/run/ashlink/http.sock",
        "data_dir": "/var/lib/ashlink",
        "storage": "durable",
        "allow_unlocked_memory": "false",
        "allow_without_landlock": "false",
        "proxy_protocol": "on",  # the packaged tor instance sends the PROXY line
    }


def test_packaged_config_lists_every_key_of_the_example():
    example = settings((REPOSITORY / "ashlink.conf.example").read_text(), commented=True)
    packaged = settings((PACKAGING / "ashlink.conf").read_text(), commented=True)
    missing = sorted(set(example) - set(packaged))
    assert not missing, f"keys of ashlink.conf.example missing from packaging/ashlink.conf: {missing}"
    for key, value in example.items():
        if key not in PACKAGE_SPECIFIC:
            assert packaged[key] == value, f"{key}: packaged {packaged[key]}, example {value}"


def test_check_config_accepts_the_packaged_config(unpacked):
    result = run([str(unpacked / "usr/sbin/ashlink"), "check-config", "--config", str(unpacked / "etc/ashlink/ashlink.conf")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("configuration OK")


PUBLIC_SERVICE_DIR = "/var/lib/tor-instances/ashlink/hidden_service"
INBOX_SERVICE_DIR = "/var/lib/tor-instances/ashlink/inbox_service"


def torrc_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def torrc_sections(text):
    """({option: value} before the first onion, {HiddenServiceDir: {option: value} of that onion}):
    tor reads every HiddenService option after a HiddenServiceDir as that onion's."""
    general, services, current = {}, {}, None
    for line in torrc_lines(text):
        option, _, value = line.partition(" ")
        if option == "HiddenServiceDir":
            assert value not in services, f"{value} configured twice"
            current = services[value] = {}
        elif option.startswith("HiddenService"):
            assert current is not None, f"{option} before any HiddenServiceDir"
            assert option not in current, f"{option} twice for one onion"
            current[option] = value
        else:
            general[option] = value
    return general, services


def test_torrc_carries_the_hardening_lines():
    general, services = torrc_sections((PACKAGING / "tor-instance.torrc").read_text())
    assert general == {"SocksPort": "0", "SafeLogging": "1", "DisableAllSwap": "1"}
    assert list(services) == [PUBLIC_SERVICE_DIR, INBOX_SERVICE_DIR]
    options = services[PUBLIC_SERVICE_DIR]
    assert options["HiddenServicePort"] == "80 unix:/run/ashlink/http.sock"
    assert options["HiddenServicePoWDefensesEnabled"] == "1"
    assert options["HiddenServiceEnableIntroDoSDefense"] == "1"
    assert int(options["HiddenServiceEnableIntroDoSRatePerSec"]) > 0
    assert int(options["HiddenServiceEnableIntroDoSBurstPerSec"]) > 0
    assert int(options["HiddenServiceMaxStreams"]) > 0
    assert options["HiddenServiceMaxStreamsCloseCircuit"] == "1"
    # The packaged ashlink.conf reads the circuit's PROXY line: the public onion must send it.
    assert options["HiddenServiceExportCircuitID"] == "haproxy"
    assert settings((PACKAGING / "ashlink.conf").read_text())["proxy_protocol"] == "on"
    for forbidden in ("HiddenServiceSingleHopMode", "HiddenServiceNonAnonymousMode", "HiddenServiceVersion"):
        assert all(forbidden not in onion for onion in services.values()), forbidden
        assert forbidden not in general, forbidden


def test_torrc_publishes_the_inbox_listener_as_a_second_onion():
    """The inbox onion goes to the socket that the packaged ashlink.conf names (commented out)
    for inbox_listen, in the folder ashlink.service makes for tor's group, and never to the
    public socket: client authorization is what keeps the API's onion unknown."""
    _, services = torrc_sections((PACKAGING / "tor-instance.torrc").read_text())
    inbox = services[INBOX_SERVICE_DIR]
    assert inbox["HiddenServicePort"] == "80 unix:/run/ashlink/inbox.sock"
    commented = settings((PACKAGING / "ashlink.conf").read_text(), commented=True)
    assert inbox["HiddenServicePort"] == "80 " + commented["inbox_listen"]
    assert commented["inbox_listen"] != commented["listen"]
    assert int(inbox["HiddenServiceMaxStreams"]) > 0 and inbox["HiddenServiceMaxStreamsCloseCircuit"] == "1"


def test_packaged_config_leaves_the_inbox_off_without_any_key():
    """The inbox keys are there to read, all commented out: no recipient (never a development
    identity), no verifier, no listener until the newsroom sets them."""
    text = (PACKAGING / "ashlink.conf").read_text()
    active = settings(text)
    commented = settings(text, commented=True)
    for key in ("inbox_recipients", "inbox_listen", "inbox_access", "inbox_max_tip_bytes", "inbox_max_files",
                "inbox_upload_timeout_seconds", "inbox_min_upload_bytes_per_second",
                "inbox_max_stored_bytes", "inbox_max_tips", "reply_ttl"):
        assert key in commented and key not in active, key
    assert not re.search(r"age1[02-9ac-hj-np-z]{58}", text), "a real age recipient in the packaged configuration"
    assert "AGE-SECRET-KEY-" not in text and not re.search(r"ashlink-access-v1-[A-Za-z0-9]{8}", text)


def test_torrc_has_every_active_line_of_torrc_example():
    example = REPOSITORY / "torrc.example"
    if not example.exists():
        pytest.skip("torrc.example is not in the repository")
    packaged = set(torrc_lines((PACKAGING / "tor-instance.torrc").read_text()))
    missing = [line for line in torrc_lines(example.read_text()) if line not in packaged]
    assert not missing, f"torrc.example lines missing from packaging/tor-instance.torrc: {missing}"


def test_tor_accepts_the_torrc(tmp_path):
    if not shutil.which("tor"):
        pytest.skip("tor is not installed")
    torrc = tmp_path / "torrc"
    torrc.write_text((PACKAGING / "tor-instance.torrc").read_text()
                     .replace(PUBLIC_SERVICE_DIR, str(tmp_path / "hidden_service"))
                     .replace(INBOX_SERVICE_DIR, str(tmp_path / "inbox_service")))
    tmp_path.chmod(0o700)
    result = run(["tor", "--defaults-torrc", "/dev/null", "-f", str(torrc),
                  "--DataDirectory", str(tmp_path / "data"), "--verify-config"])
    assert result.returncode == 0 and "Configuration was valid" in result.stdout, result.stdout + result.stderr


def test_journald_dropin_keeps_about_two_weeks():
    text = (PACKAGING / "journald-ashlink.conf").read_text()
    values = settings(text)
    assert "[Journal]" in text
    assert values["MaxRetentionSec"] in ("2week", "14d", "2weeks", "336h")
    assert values["MaxFileSec"] == "1day"
    assert "whole box" in text  # the global effect is documented where an admin will see it
