"""One HTTP/1.1 client over TCP, a Unix socket or SOCKS5. It never follows redirects, like a test should.

    request("127.0.0.1:8080", "GET", "/")              # or "unix:/run/ashlink/http.sock"
    exchange(through_socks(9050, "x.onion"), "POST", "/share", {"secret": "s"})
"""

import http.client
import json
import socket
import urllib.parse

from .socks import socks5_connect


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket, as tor's HiddenServicePort connects."""

    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class SocksHTTPConnection(http.client.HTTPConnection):
    """HTTP through a SOCKS5 server on 127.0.0.1 (tor's SocksPort), which resolves `host`."""

    def __init__(self, socks_port, host, port=80, timeout=15):
        super().__init__(host, port, timeout=timeout)
        self.socks_port = socks_port

    def connect(self):
        self.sock = socks5_connect(self.socks_port, self.host, self.port, self.timeout)


def open_connection(address, timeout=30, proxy_line=None):
    """A connection, not yet opened, to "HOST:PORT" or "unix:PATH" (the spelling of `--listen`).
    With `proxy_line` (bytes, e.g. proxy_line_for(circuit)), it sends that PROXY line first, as
    tor's HiddenServiceExportCircuitID does."""
    if address.startswith("unix:"):
        connection = UnixHTTPConnection(address[len("unix:"):], timeout=timeout)
    else:
        host, _, port = address.rpartition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    if proxy_line is not None:
        connect = connection.connect

        def connect_and_announce():
            connect()
            connection.sock.sendall(proxy_line)
        connection.connect = connect_and_announce
    return connection


def proxy_line_for(circuit, virtual_port=80):
    """The PROXY v1 line tor writes for a stream on rendezvous circuit `circuit` (a 32-bit id)."""
    return (f"PROXY TCP6 fc00:dead:beef:4dad::{circuit >> 16:x}:{circuit & 0xFFFF:x} ::1 "
            f"{circuit & 0xFFFF} {virtual_port}\r\n").encode()


def through_socks(socks_port, host, port=80, timeout=15):
    return SocksHTTPConnection(socks_port, host, port, timeout=timeout)


def exchange(connection, method, path, fields=None, headers=None, body=None):
    """One request on `connection` (`fields` are sent as a form), the whole answer read, then closed."""
    headers = dict(headers or {})
    if fields is not None:
        body = urllib.parse.urlencode(fields).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def request(address, method, path, fields=None, headers=None, body=None, timeout=30, proxy_line=None):
    return exchange(open_connection(address, timeout, proxy_line), method, path, fields, headers, body)
