"""torrc.example as the onion tests run it: the same lines, with its paths moved into a test folder.

The private-network tests start their onion service from this text, so the file operators copy
(and the packaged tor-instance.torrc, which has the same active lines) is the file that was shown
to serve the onions.
"""

import os
import re
from pathlib import Path

from ashlink_harness.paths import REPOSITORY

TORRC_EXAMPLE = REPOSITORY / "torrc.example"

# Every path of torrc.example's active and optional lines, by what it is.
EXAMPLE_PATHS = {
    "public_service_dir": "/var/lib/tor-instances/ashlink/hidden_service",
    "inbox_service_dir": "/var/lib/tor-instances/ashlink/inbox_service",
    "recipients_service_dir": "/var/lib/tor-instances/ashlink/recipients_service",
    "public_socket": "/run/ashlink/http.sock",
    "inbox_socket": "/run/ashlink/inbox.sock",
}


def torrc_from_example(with_recipients_onion=False, **paths):
    """torrc.example with each path of EXAMPLE_PATHS replaced by the keyword of the same name
    (all of them must be given); `with_recipients_onion` removes the '#' in front of the optional
    recipients' onion. Refuses a torrc.example with an active path this function does not know."""
    unknown = set(paths) ^ set(EXAMPLE_PATHS)
    if unknown:
        raise TypeError(f"paths to give exactly: {sorted(EXAMPLE_PATHS)}; mismatched: {sorted(unknown)}")
    text = TORRC_EXAMPLE.read_text()
    # Longest first, so that no path is replaced inside a longer one.
    for name, example in sorted(EXAMPLE_PATHS.items(), key=lambda item: -len(item[1])):
        text = text.replace(example, str(paths[name]))
    if os.geteuid() != 0:
        # tor locks its memory only when started as root (as tor@.service starts it).
        text = text.replace("\nDisableAllSwap 1\n", "\nDisableAllSwap 0\n")
    if with_recipients_onion:
        text = re.sub(r"(?m)^#(HiddenService\w+ )", r"\1", text)  # "#Option" lines: the optional onion
    active = [line for line in text.splitlines() if line and not line.startswith("#")]
    stray = [line for line in active if "/var/lib/tor-instances" in line or "/run/ashlink" in line]
    assert not stray, f"torrc.example has paths the tests do not know how to move: {stray}"
    return text


def onion_test_torrc(service_dir, recipients_dir, socket_path):
    """torrc.example with its paths moved into the test folder and the optional recipients' onion
    on (the inbox onion, tested by test_onion_inbox.py, is served here by nothing)."""
    return torrc_from_example(
        with_recipients_onion=True, public_service_dir=service_dir, recipients_service_dir=recipients_dir,
        public_socket=socket_path, inbox_service_dir=Path(service_dir).parent / "inbox_service",
        inbox_socket=Path(socket_path).parent / "inbox.sock")
