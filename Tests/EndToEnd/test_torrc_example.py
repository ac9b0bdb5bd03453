"""torrc.example and `ashlink onion-address` on their own, without a Tor network: tor itself
accepts the example, it turns the defences on and never a non-anonymous mode, the packaged
instance mirrors it, and the onion address is read and refused as it should be."""

import re
import subprocess
from pathlib import Path

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.example_torrc import EXAMPLE_PATHS, TORRC_EXAMPLE, onion_test_torrc
from ashlink_harness.paths import REPOSITORY
from ashlink_harness.tornet import TOR

EXAMPLE_RECIPIENTS_DIR = EXAMPLE_PATHS["recipients_service_dir"]
EXAMPLE_SOCKET = EXAMPLE_PATHS["public_socket"]

ONION = re.compile(r"[a-z2-7]{56}\.onion")


def active_options(text):
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# ---- torrc.example on its own: no network needed ----------------------------------------------

def test_torrc_example_passes_tor_verify_config(workdir):
    text = onion_test_torrc(workdir / "hidden_service", workdir / "recipients_service", workdir / "http.sock")
    torrc = workdir / "torrc"
    torrc.write_text(text)
    # As installed: on top of Debian's defaults for `tor@NAME` instances (their User line dropped,
    # since that account does not exist here), and on top of nothing at all.
    defaults_template = Path("/usr/share/tor/tor-service-defaults-torrc-instances")
    instance_defaults = workdir / "instance-defaults"
    if defaults_template.exists():
        instance_defaults.write_text(
            "\n".join(line for line in defaults_template.read_text().replace("@@NAME@@", "ashlink")
                      .replace("/var/lib/tor-instances/ashlink", str(workdir / "data")).splitlines()
                      if not line.startswith("User ")) + "\n")
    else:
        instance_defaults.write_text(f"DataDirectory {workdir / 'data'}\n")
    empty = workdir / "empty"
    empty.write_text("")
    for defaults in (instance_defaults, empty):
        result = subprocess.run(
            [TOR, "--defaults-torrc", str(defaults), "-f", str(torrc), "--DataDirectory", str(workdir / "data"),
             "--verify-config"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Configuration was valid" in result.stdout, result.stdout + result.stderr


def test_torrc_example_turns_on_the_defences_and_never_a_non_anonymous_mode():
    text = TORRC_EXAMPLE.read_text()
    options = active_options(text)
    for option in ("SocksPort", "SafeLogging", "HiddenServiceDir", "HiddenServicePort",
                   "HiddenServicePoWDefensesEnabled", "HiddenServiceEnableIntroDoSDefense",
                   "HiddenServiceEnableIntroDoSRatePerSec", "HiddenServiceEnableIntroDoSBurstPerSec",
                   "HiddenServiceMaxStreams", "HiddenServiceMaxStreamsCloseCircuit"):
        assert option in options, option
    assert "SocksPort 0" in text and "SafeLogging 1" in text
    assert f"HiddenServicePort 80 unix:{EXAMPLE_SOCKET}" in text
    assert "HiddenServicePort 80 127.0.0.1:8080" in text, "the loopback TCP alternative is documented"
    for forbidden in ("HiddenServiceSingleHopMode", "HiddenServiceNonAnonymousMode", "HiddenServiceVersion"):
        assert forbidden not in options, forbidden
    # Line by line: every active option has an explanation right above it.
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            above = lines[index - 1]
            assert above.startswith("#"), f"no comment above '{line}'"
    # The optional client-authorized onion is there, commented out.
    assert "authorized_clients" in text and f"#HiddenServiceDir {EXAMPLE_RECIPIENTS_DIR}" in text


def test_packaged_instance_torrc_matches_torrc_example():
    """packaging/tor-instance.torrc says it mirrors torrc.example: same active lines, so the
    onion that the private-network test proves is the one the package installs."""
    packaged = REPOSITORY / "packaging" / "tor-instance.torrc"
    if not packaged.exists():
        pytest.skip("no packaging/tor-instance.torrc")
    def active(path):
        return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert active(packaged) == active(TORRC_EXAMPLE)


# ---- `ashlink onion-address`: no network needed ----------------------------------------------

def test_onion_address_prints_the_v3_address_and_refuses_anything_else(workdir):
    address = "a" * 54 + "ad.onion"  # the last byte of the decoded address is the version, 3
    good = workdir / "good"
    good.mkdir()
    (good / "hostname").write_text(address + "\n")
    result = run_ashlink("onion-address", "--hidden-service-dir", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout == address + "\n"

    cases = {
        "missing": None,
        "v2": "expyuzz4wqqyqhjn.onion\n",
        "short": "a" * 55 + ".onion\n",
        "uppercase": "A" * 56 + ".onion\n",
        "no-suffix": "a" * 56 + "\n",
        "not-base32": "a" * 55 + "1.onion\n",
        "version-2": "a" * 55 + "c.onion\n",
        "crlf": address + "\r\n",
        "trailing-space": address + " \n",
        "two-lines": address + "\n" + address + "\n",
        "empty": "",
    }
    for name, content in cases.items():
        folder = workdir / name
        folder.mkdir()
        if content is not None:
            (folder / "hostname").write_text(content)
        result = run_ashlink("onion-address", "--hidden-service-dir", str(folder))
        assert result.returncode == 1, (name, result.stdout)
        assert result.stdout == "", name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ashlink: "), (name, result.stderr)
