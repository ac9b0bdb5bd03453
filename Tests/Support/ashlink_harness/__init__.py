"""What the end-to-end, packaging, soak and bench code share to drive the real `ashlink` binary.

One concept per module: `paths` (what is under test), `ports` (free loopback ports), `server`
(one `ashlink serve` process), `http_client` (HTTP/1.1 over TCP, a Unix socket or SOCKS5),
`socks` (the SOCKS5 handshake), `procfs` (/proc/PID/status), `commands` (one-shot commands) and
`browser` (headless Chromium with JavaScript off).
"""
