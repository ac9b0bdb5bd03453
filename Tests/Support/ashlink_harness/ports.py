"""Free TCP ports on 127.0.0.1, below 32768, where outgoing connections take their ephemeral source ports.

A port is handed out at most once per test process: a server's listener and its inbox listener are
both drawn here before either binds, so a probe alone could give the same free port to both.
"""

import random
import socket

_handed_out = set()


def free_port():
    for _ in range(1000):
        port = random.randint(12000, 32000)
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port below 32768")
