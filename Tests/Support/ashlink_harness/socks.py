"""A SOCKS5 client (RFC 1928, no authentication) that reports tor's extended error codes."""

import socket
import struct

SOCKS_REPLIES = {
    0x00: "succeeded", 0x01: "general failure", 0x04: "host unreachable", 0x05: "connection refused",
    0x06: "TTL expired",
    # tor's ExtendedErrors (tor(1), SocksPort):
    0xF0: "onion service descriptor can not be found",
    0xF1: "onion service descriptor is invalid",
    0xF2: "onion service introduction failed",
    0xF3: "onion service rendezvous failed",
    0xF4: "onion service missing client authorization",
    0xF5: "onion service wrong client authorization",
    0xF6: "onion service invalid address",
    0xF7: "onion service introduction timed out",
}


class SocksError(OSError):
    def __init__(self, code):
        self.code = code
        super().__init__(f"SOCKS5 reply 0x{code:02X}: {SOCKS_REPLIES.get(code, 'unknown')}")


def receive_exactly(sock, count):
    """`count` bytes from `sock`, however the other end splits them; OSError if it closes first."""
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise OSError("the other end closed the connection")
        data += chunk
    return data


def socks5_connect(socks_port, host, port, timeout):
    """A TCP stream to host:port through the SOCKS server on 127.0.0.1:socks_port, which resolves the host name."""
    sock = socket.create_connection(("127.0.0.1", socks_port), timeout=timeout)
    try:
        sock.sendall(b"\x05\x01\x00")  # version 5, one method: no authentication
        if receive_exactly(sock, 2) != b"\x05\x00":
            raise OSError("SOCKS server refused the no-authentication method")
        name = host.encode("ascii")
        sock.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name + struct.pack(">H", port))
        version, reply, _, address_type = receive_exactly(sock, 4)
        if reply != 0:
            raise SocksError(reply)
        if address_type == 1:
            receive_exactly(sock, 4 + 2)  # IPv4 address and port
        elif address_type == 4:
            receive_exactly(sock, 16 + 2)  # IPv6 address and port
        else:
            receive_exactly(sock, receive_exactly(sock, 1)[0] + 2)  # host name and port
        return sock
    except BaseException:
        sock.close()
        raise
