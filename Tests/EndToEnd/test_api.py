"""The Onetime Secret v1 API, as its existing clients call it."""

import time

METADATA_FIELDS = {"custid", "metadata_key", "secret_key", "ttl", "metadata_ttl", "secret_ttl", "state",
                   "created", "updated", "recipient", "passphrase_required"}


def share(server, path="/api/v1/share", **fields):
    reply = server.request("POST", path, fields)
    assert reply.status == 200, reply.text
    assert reply.header("content-type").startswith("application/json")
    return reply.json()


def test_status(server):
    assert server.request("GET", "/api/v1/status").json() == {"status": "nominal", "locale": "en"}


def test_share_metadata_reveal_and_second_reveal(server):
    created = share(server, secret="api secret", ttl="3600")
    assert METADATA_FIELDS <= created.keys()
    assert created["custid"] == "anon" and created["state"] == "new" and created["ttl"] == 3600
    assert created["passphrase_required"] is False
    assert abs(created["created"] - time.time()) < 120 and created["created"] % 60 == 0, "times are whole minutes"
    assert 3600 <= created["secret_ttl"] <= 3660
    assert created["secret_ttl"] % 60 == 0 and created["metadata_ttl"] % 60 == 0, "so are lifetimes: no clock to the second"

    metadata = server.request("POST", f"/api/v1/private/{created['metadata_key']}").json()
    assert metadata["state"] == "new" and metadata["secret_key"] == created["secret_key"]

    revealed = server.request("POST", f"/api/v1/secret/{created['secret_key']}")
    assert revealed.status == 200
    assert revealed.json() == {"secret_key": created["secret_key"], "value": "api secret"}

    second = server.request("POST", f"/api/v1/secret/{created['secret_key']}")
    assert second.status == 404 and second.json() == {"message": "Unknown secret"}

    metadata = server.request("POST", f"/api/v1/private/{created['metadata_key']}").json()
    assert metadata["state"] == "received" and "secret_key" not in metadata and "received" in metadata


def test_passphrase_wrong_then_right_and_no_oracle(server):
    created = share(server, secret="with passphrase", passphrase="open sesame")
    assert created["passphrase_required"] is True
    key = created["secret_key"]
    wrong = server.request("POST", f"/api/v1/secret/{key}", {"passphrase": "nope"})
    missing = server.request("POST", f"/api/v1/secret/{key}")
    unknown = server.request("POST", "/api/v1/secret/" + "q" * 52, {"passphrase": "nope"})
    malformed = server.request("POST", "/api/v1/secret/not-a-key")
    for reply in (wrong, missing, unknown, malformed):
        assert reply.status == 404
        assert reply.body == b'{"message":"Unknown secret"}'
    right = server.request("POST", f"/api/v1/secret/{key}", {"passphrase": "open sesame"})
    assert right.json()["value"] == "with passphrase"


def test_fields_in_the_query_string_and_aliases(server):
    created = share(server, path="/api/v1/create?secret=from%20the%20query&ttl=600")
    assert created["ttl"] == 600
    for alias in ("receipt", "metadata"):
        reply = server.request("POST", f"/api/v1/{alias}/{created['metadata_key']}")
        assert reply.status == 200 and reply.json()["metadata_key"] == created["metadata_key"]
    revealed = server.request("POST", f"/api/v1/secret/{created['secret_key']}?passphrase=")
    assert revealed.json()["value"] == "from the query"


def test_burn(server):
    created = share(server, secret="burn me")
    burned = server.request("POST", f"/api/v1/private/{created['metadata_key']}/burn")
    assert burned.status == 200
    body = burned.json()
    assert body["state"]["state"] == "burned"
    assert body["secret_shortkey"] == created["secret_key"][:8]
    assert server.request("POST", f"/api/v1/secret/{created['secret_key']}").status == 404
    assert server.request("POST", "/api/v1/private/" + "c" * 52 + "/burn").status == 404


def test_generate(server):
    generated = share(server, path="/api/v1/generate", passphrase="pw")
    assert len(generated["value"]) == 12 and generated["passphrase_required"] is True
    revealed = server.request("POST", f"/api/v1/secret/{generated['secret_key']}", {"passphrase": "pw"})
    assert revealed.json()["value"] == generated["value"]


def test_ttl_is_clamped_to_the_configured_range(server):
    assert share(server, secret="short", ttl="1")["ttl"] == 300
    assert share(server, secret="long", ttl="999999999999")["ttl"] == 30 * 86400
    assert share(server, secret="default")["ttl"] == 7 * 86400
    bad = server.request("POST", "/api/v1/share", {"secret": "x", "ttl": "soon"})
    assert bad.status == 400 and "ttl" in bad.json()["message"]


def test_empty_secret_is_refused(server):
    reply = server.request("POST", "/api/v1/share", {"secret": ""})
    assert reply.status == 400
