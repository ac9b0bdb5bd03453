"""The packaged configuration files: ashlink.conf, the tor instance's torrc, the journald drop-in."""

import re
import shutil

import pytest

from ashlink_harness.commands import run
from ashlink_harness.paths import PACKAGING, REPOSITORY

# Keys whose packaged value differs from the example's development default, on purpose.
PACKAGE_SPECIFIC = {"listen", "data_dir", "public_url", "public_url_from_hidden_service_dir", "user", "group"}


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


def torrc_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_torrc_carries_the_hardening_lines():
    lines = torrc_lines((PACKAGING / "tor-instance.torrc").read_text())
    options = {line.split()[0]: line.split(None, 1)[1] for line in lines}
    assert options["SocksPort"] == "0"
    assert options["SafeLogging"] == "1"
    assert options["HiddenServiceDir"] == "/var/lib/tor-instances/ashlink/hidden_service"
    assert options["HiddenServicePort"] == "80 unix:/run/ashlink/http.sock"
    assert options["HiddenServicePoWDefensesEnabled"] == "1"
    assert options["HiddenServiceEnableIntroDoSDefense"] == "1"
    assert int(options["HiddenServiceEnableIntroDoSRatePerSec"]) > 0
    assert int(options["HiddenServiceEnableIntroDoSBurstPerSec"]) > 0
    assert int(options["HiddenServiceMaxStreams"]) > 0
    assert options["HiddenServiceMaxStreamsCloseCircuit"] == "1"
    for forbidden in ("HiddenServiceSingleHopMode", "HiddenServiceNonAnonymousMode", "HiddenServiceVersion"):
        assert forbidden not in options


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
    service_dir = tmp_path / "hidden_service"
    torrc = tmp_path / "torrc"
    torrc.write_text((PACKAGING / "tor-instance.torrc").read_text()
                     .replace("/var/lib/tor-instances/ashlink/hidden_service", str(service_dir)))
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
