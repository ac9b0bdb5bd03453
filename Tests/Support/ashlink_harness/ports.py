"""Free TCP ports on 127.0.0.1, below 32768, where outgoing connections take their ephemeral source ports."""

import random
import socket


def free_port(taken=()):
    for _ in range(1000):
        port = random.randint(12000, 32000)
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port below 32768")


class Ports:
    """Free ports never handed out twice, for processes that bind them later (tor nodes)."""

    def __init__(self):
        self.taken = set()

    def take(self):
        port = free_port(self.taken)
        self.taken.add(port)
        return port
