"""Every response, errors included, carries the security headers and nothing that identifies the
server: no Server header, and no Date (the host's clock to the second, a fingerprint across onions).
A page's policy allows its own inline style blocks by their hashes (test_inline_styles.py); any
other answer allows no style at all."""

import re

PAGE_POLICY = re.compile(
    r"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}=' 'sha256-[A-Za-z0-9+/]{43}='; "
    r"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
NO_STYLE_POLICY = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

EXPECTED = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def assert_hardened(reply, what):
    policy = reply.header("content-security-policy")
    if (reply.header("content-type") or "").startswith("text/html"):
        assert PAGE_POLICY.fullmatch(policy), f"{what}: {policy!r}"
    else:
        assert policy == NO_STYLE_POLICY, f"{what}: {policy!r}"
    for name, value in EXPECTED.items():
        assert reply.header(name) == value, f"{what}: {name} is {reply.header(name)!r}"
    assert reply.header("server") is None, f"{what}: Server header present"
    assert reply.header("date") is None, f"{what}: Date header present"
    assert reply.header("set-cookie") is None, f"{what}: cookie set"
    assert "script" not in reply.header("content-security-policy")


def test_headers_on_every_kind_of_response(server):
    created = server.request("POST", "/api/v1/share", {"secret": "h"}).json()
    replies = {
        "create page": server.request("GET", "/"),
        "redirect": server.request("POST", "/share", {"secret": "x"}),
        "receipt": server.request("GET", f"/private/{created['metadata_key']}"),
        "confirm": server.request("GET", f"/secret/{created['secret_key']}"),
        "reveal": server.request("POST", f"/secret/{created['secret_key']}", {}),
        "gone": server.request("POST", f"/secret/{created['secret_key']}", {}),
        "unknown route": server.request("GET", "/wp-admin"),
        "wrong method": server.request("DELETE", "/"),
        "bad form": server.request("POST", "/share", body=b"secret=%zz", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "too large": server.request("POST", "/share", body=b"secret=" + b"a" * (300 * 1024), headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "api ok": server.request("GET", "/api/v1/status"),
        "api 404": server.request("POST", "/api/v1/secret/" + "z" * 52),
        "api 400": server.request("POST", "/api/v1/share", {"secret": "x", "ttl": "never"}),
    }
    assert replies["redirect"].status == 303
    assert replies["unknown route"].status == 404
    assert replies["bad form"].status == 400
    assert replies["too large"].status == 413
    for what, reply in replies.items():
        assert_hardened(reply, what)
