"""A SOCKS5 server standing in for tor's SocksPort in tests: it records what it is asked for,
and can cut or refuse connections on purpose."""

import socket
import struct
import threading

from .socks import receive_exactly


class SocksProxy:
    """A SOCKS5 server (RFC 1928, no authentication) that connects every request to `upstream`
    and records what it was asked for; `cut_after` bytes towards the client end a connection,
    and connections beyond `allow` are refused with reply 0x05."""

    def __init__(self, upstream_port, cut_after=None, allow=None):
        self.upstream_port, self.cut_after, self.allow = upstream_port, cut_after, allow
        self.requests = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.listener.close()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        with client:
            version, count = receive_exactly(client, 2)
            receive_exactly(client, count)
            client.sendall(b"\x05\x00")
            _, command, _, address_type = receive_exactly(client, 4)
            if address_type == 3:
                host = receive_exactly(client, receive_exactly(client, 1)[0]).decode("ascii")
            else:
                host = socket.inet_ntop(socket.AF_INET if address_type == 1 else socket.AF_INET6,
                                        receive_exactly(client, 4 if address_type == 1 else 16))
            port = struct.unpack(">H", receive_exactly(client, 2))[0]
            self.requests.append((version, command, address_type, host, port))
            if self.allow is not None and len(self.requests) > self.allow:
                client.sendall(b"\x05\x05\x00\x01" + bytes(6))
                return
            with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
                client.sendall(b"\x05\x00\x00\x01" + bytes(6))
                threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
                self._pump(upstream, client, self.cut_after)

    @staticmethod
    def _pump(source, destination, limit):
        passed = 0
        try:
            while chunk := source.recv(65536):
                if limit is not None and passed + len(chunk) > limit:
                    destination.sendall(chunk[:limit - passed])
                    break
                destination.sendall(chunk)
                passed += len(chunk)
        except OSError:
            pass
        for end in (source, destination):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
