"""The web flow exactly as a browser with JavaScript off does it: forms, 303s, plain pages."""

import html
import re

SECRET_PATH = re.compile(r"/secret/([a-z2-7]{52})")


def create(server, secret, **extra):
    reply = server.request("POST", "/share", {"secret": secret, **extra})
    assert reply.status == 303
    location = reply.header("location")
    assert re.fullmatch(r"/private/[a-z2-7]{52}", location)
    return location


def share_path(receipt_page):
    return "/secret/" + SECRET_PATH.search(receipt_page).group(1)


def test_create_form_offers_every_field_without_javascript(server):
    page = server.request("GET", "/")
    assert page.status == 200
    assert page.header("content-type").startswith("text/html")
    for field in ('name="secret"', 'name="passphrase"', 'name="ttl"', 'action="/share"', 'action="/generate"'):
        assert field in page.text
    assert '<option value="300"' in page.text and '<option value="2592000"' in page.text
    assert "<script" not in page.text.lower()
    assert 'for="secret"' in page.text and 'for="passphrase"' in page.text and 'for="ttl"' in page.text


def test_full_flow_reveals_once_and_confirm_page_burns_nothing(server):
    secret = "the source is in <room 5> & trusted"
    receipt_path = create(server, secret, ttl="3600")

    receipt = server.request("GET", receipt_path)
    assert receipt.status == 200
    assert "Not read yet" in receipt.text
    link = re.search(r"http://127\.0\.0\.1:\d+/secret/[a-z2-7]{52}", receipt.text)
    assert link, "the receipt shows an absolute share link"
    path = share_path(receipt.text)

    for _ in range(3):  # a preview bot that only GETs must not burn it
        confirm = server.request("GET", path)
        assert confirm.status == 200
        assert "Reveal the secret" in confirm.text
        assert secret not in confirm.text

    revealed = server.request("POST", path, {})
    assert revealed.status == 200
    assert html.escape(secret, quote=False) in revealed.text or html.escape(secret) in revealed.text
    assert "<room 5>" not in revealed.text, "user text is HTML-escaped"

    again = server.request("POST", path, {})
    assert again.status == 404
    assert "not available" in again.text
    assert server.request("GET", path).status == 404

    after = server.request("GET", receipt_path)
    assert "Read, and deleted" in after.text
    assert "/secret/" not in after.text, "the receipt stops showing the link once read"


def test_passphrase_is_asked_for_and_wrong_tries_are_counted(server):
    receipt_path = create(server, "behind the passphrase", passphrase="correct horse")
    path = share_path(server.request("GET", receipt_path).text)

    confirm = server.request("GET", path)
    assert 'name="passphrase"' in confirm.text

    wrong = server.request("POST", path, {"passphrase": "wrong"})
    assert wrong.status == 403
    assert "4 tries remain" in wrong.text
    assert "behind the passphrase" not in wrong.text

    right = server.request("POST", path, {"passphrase": "correct horse"})
    assert right.status == 200
    assert "behind the passphrase" in right.text


def test_wrong_passphrases_burn_the_secret_after_the_limit(server):
    receipt_path = create(server, "guess me", passphrase="right")
    path = share_path(server.request("GET", receipt_path).text)
    for attempt in range(4):
        assert server.request("POST", path, {"passphrase": f"guess {attempt}"}).status == 403
    assert server.request("POST", path, {"passphrase": "guess 5"}).status == 404
    assert server.request("POST", path, {"passphrase": "right"}).status == 404
    assert "Deleted unread" in server.request("GET", receipt_path).text


def test_burn_from_the_receipt(server):
    receipt_path = create(server, "never to be read")
    path = share_path(server.request("GET", receipt_path).text)
    burned = server.request("POST", receipt_path + "/burn", {})
    assert burned.status == 303 and burned.header("location") == receipt_path
    assert "Deleted unread" in server.request("GET", receipt_path).text
    assert server.request("POST", path, {}).status == 404


def test_generate_shows_the_password_to_the_sender_until_read(server):
    reply = server.request("POST", "/generate", {"ttl": "300"})
    assert reply.status == 303
    receipt = server.request("GET", reply.header("location")).text
    password = re.search(r'id="generated" class="link" type="text" readonly value="([^"]+)"', receipt).group(1)
    assert len(password) == 12
    revealed = server.request("POST", share_path(receipt), {})
    assert password in revealed.text
    assert password not in server.request("GET", reply.header("location")).text


def test_unknown_and_malformed_keys_get_the_same_page(server):
    unknown = server.request("GET", "/secret/" + "a" * 52)
    malformed = server.request("GET", "/secret/..%2F..%2Fetc%2Fpasswd")
    assert unknown.status == malformed.status == 404
    assert "not available" in unknown.text
    assert main_of(unknown.text) == main_of(malformed.text), "the page tells the two apart"
    assert server.request("GET", "/private/" + "b" * 52).status == 404


def test_javascript_canary_is_hidden_only_by_the_noscript_style(server):
    page = server.request("GET", "/").text
    assert "<noscript><style>.js-warning{display:none}</style></noscript>" in page
    assert 'class="js-warning"' in page
    main_style = page[page.index("<style>") + len("<style>"):page.index("</style>")]
    assert ".js-warning{display:block;" in main_style and "JavaScript is on" in main_style


def main_of(page):
    """The page's <main>: the rest (the language menu) links to the requested path."""
    return page[page.index("<main>"):page.index("</main>")]
