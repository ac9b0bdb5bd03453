"""The command line: refusals come before anything is opened, with one line that says why."""

from ashlink_harness.commands import run_ashlink
from ashlink_harness.paths import REPOSITORY

REFUSED = ["0.0.0.0:8080", "192.168.1.10:8080", "[::]:8080", "[2001:db8::1]:80", "localhost:8080",
           "example.org:80", "127.0.0.1:0", "127.0.0.1:99999", "unix:relative.sock", "8080"]


def test_non_loopback_addresses_are_refused_before_anything_is_opened(workdir):
    for address in REFUSED:
        data_dir = workdir / "never-created"
        result = run_ashlink("serve", "--listen", address, "--data-dir", str(data_dir))
        assert result.returncode != 0, address
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ashlink: configuration:"), (address, result.stderr)
        assert not data_dir.exists(), f"{address}: the data directory was created"


def test_unknown_keys_and_unsafe_values_are_errors(workdir):
    cases = {
        "listen = 127.0.0.1:8080\nlisten_adress = 0.0.0.0:80\n": "unknown key 'listen_adress'",
        "max_passphrase_attempts = 0\n": "max_passphrase_attempts",
        "socket_mode = 0666\n": "socket_mode",
        "listen = 10.0.0.1:80\n": "non-loopback",
        "storage = tape\n": "storage",
        "min_ttl = 600\ndefault_ttl = 300\n": "min_ttl <= default_ttl",
        "this is not a setting\n": "expected 'key = value'",
        "user = root;rm\n": "user",
        "public_url = javascript:alert(1)\n": "public_url",
        "max_ttl = 600\nmax_ttl = 700\n": "set twice",
    }
    for text, reason in cases.items():
        path = workdir / "bad.conf"
        path.write_text(text)
        for command in ("check-config", "serve"):
            result = run_ashlink(command, "--config", str(path), "--data-dir", str(workdir / "unused"))
            assert result.returncode != 0, text
            assert reason in result.stderr, (text, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1
    assert not (workdir / "unused").exists()


def test_check_config_accepts_the_example(workdir):
    result = run_ashlink("check-config", "--config", str(REPOSITORY / "ashlink.conf.example"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("configuration OK")


def test_serves_on_a_unix_socket(start_server, workdir):
    socket_path = workdir / "http.sock"
    server = start_server(listen=f"unix:{socket_path}")
    assert (socket_path.stat().st_mode & 0o777) == 0o660
    created = server.request("POST", "/api/v1/share", {"secret": "over a unix socket"}).json()
    revealed = server.request("POST", f"/api/v1/secret/{created['secret_key']}").json()
    assert revealed["value"] == "over a unix socket"
    assert server.stop() == 0


def test_log_holds_no_request_data(start_server, workdir):
    server = start_server()
    created = server.request("POST", "/api/v1/share", {"secret": "LOGMARKER secret"}).json()
    server.request("POST", f"/api/v1/secret/{created['secret_key']}")
    server.request("GET", "/secret/" + created["secret_key"], headers={"User-Agent": "UAMARKER", "Referer": "http://REFMARKER/"})
    server.request("GET", "/nonexistent-PATHMARKER")
    server.stop()
    log = server.log_path.read_text()
    for marker in ("LOGMARKER", created["secret_key"], created["metadata_key"], "UAMARKER", "REFMARKER", "PATHMARKER", "/secret/", "GET", "POST"):
        assert marker not in log, marker
    assert "serving on" in log
