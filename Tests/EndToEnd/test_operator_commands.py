"""`ashlink stats` beside a running server; `ashlink purge` refused while it runs, done after it stops."""

import re

from ashlink_harness.commands import run_ashlink
from ashlink_harness.server import DROP_ROOT

SMALL_QUOTA = "max_stored_bytes = 1048576\n"
STAT_NAMES = ["secrets", "secret_bytes", "receipts", "budget_used", "tips", "tip_bytes", "replies", "reply_bytes"]
# A count, a per cent with one decimal, each optionally bounded by its limit: nothing else.
STAT_VALUE = re.compile(r"\d+(\.\d%)?( of \d+( bytes for \d+ h)?)?")


def stats(data_dir):
    """The counts `ashlink stats` prints, after checking that its lines are aggregates and nothing else."""
    result = run_ashlink("stats", "--config", str(data_dir.parent / "ashlink.conf"), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    lines = [line.split(None, 1) for line in result.stdout.splitlines()]
    assert [name for name, _ in lines] == STAT_NAMES, result.stdout
    for name, value in lines:
        assert STAT_VALUE.fullmatch(value), (name, value)
    return {name: float(value.split()[0].rstrip("%")) for name, value in lines}, result.stdout


def create(server, secret, ttl=3600):
    answer = server.request("POST", "/api/v1/share", {"secret": secret, "ttl": str(ttl)})
    assert answer.status == 200, answer.text
    return answer.json()


def refusal(*args):
    result = run_ashlink(*args)
    assert result.returncode == 1, (args, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ashlink: "), result.stderr
    return lines[0]


def test_stats_beside_the_server_and_purge_only_after_it_stops(start_server, workdir):
    data_dir = workdir / "var"
    # A 1 MiB quota, so that a few secrets take a visible part of the budget.
    server = start_server(data_dir=data_dir, config=SMALL_QUOTA)
    created = [create(server, f"operator secret {index}", ttl) for index, ttl in enumerate([300, 3600, 86400, 2592000])]
    assert server.request("POST", f"/api/v1/secret/{created[0]['secret_key']}").json()["value"] == "operator secret 0"

    counts, output = stats(data_dir)
    assert (counts["secrets"], counts["receipts"], counts["tips"], counts["replies"]) == (3, 4, 0, 0)
    assert 0 < counts["secret_bytes"] and 0 < counts["budget_used"] < 100
    for key in [c["secret_key"] for c in created] + [c["metadata_key"] for c in created]:
        assert key not in output
    assert not re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d", output), "no time of any kind"

    # The reader left the server's files as they were: it goes on creating and revealing.
    later = create(server, "after stats")
    assert server.request("POST", f"/api/v1/secret/{later['secret_key']}").json()["value"] == "after stats"
    assert stats(data_dir)[0]["receipts"] == 5

    for args in (["purge", "--expired"], ["purge", "--all", "--yes-delete-everything"]):
        reason = refusal(*args, "--data-dir", str(data_dir))
        assert "the server is running" in reason and reason.endswith("stop it first"), reason
    second = refusal("serve", "--listen", "127.0.0.1:1", "--data-dir", str(data_dir), *DROP_ROOT)
    assert "another ashlink process" in second, second
    assert stats(data_dir)[0]["secrets"] == 3, "nothing was deleted under the server"
    assert server.request("POST", f"/api/v1/secret/{created[1]['secret_key']}").json()["value"] == "operator secret 1"
    assert server.stop() == 0

    counts, _ = stats(data_dir)  # with no server, and so no WAL, beside it
    assert (counts["secrets"], counts["receipts"]) == (2, 5)
    result = run_ashlink("purge", "--expired", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deleted 0 secrets, 0 receipts, 0 tips and 0 replies"
    assert stats(data_dir)[0]["secrets"] == 2, "--expired keeps what is live"

    reason = refusal("purge", "--all", "--data-dir", str(data_dir))
    assert "--yes-delete-everything" in reason, reason
    assert stats(data_dir)[0]["secrets"] == 2
    result = run_ashlink("purge", "--all", "--yes-delete-everything", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deleted 2 secrets, 5 receipts, 0 tips and 0 replies"
    counts, _ = stats(data_dir)
    assert all(counts[name] == 0 for name in STAT_NAMES), counts

    restarted = start_server(data_dir=data_dir, config=SMALL_QUOTA)
    for entry in created[2:]:
        assert restarted.request("POST", f"/api/v1/secret/{entry['secret_key']}").status == 404
        assert restarted.request("POST", f"/api/v1/private/{entry['metadata_key']}").status == 404
    create(restarted, "a fresh start")
    assert stats(data_dir)[0]["secrets"] == 1


def test_stats_and_purge_refuse_a_folder_without_a_vault(workdir):
    missing = workdir / "no-vault-here"
    for args in (["stats"], ["purge", "--expired"]):
        reason = refusal(*args, "--data-dir", str(missing))
        assert "no vault in" in reason, reason
    assert not missing.exists(), "neither made an empty vault"
    reason = refusal("purge", "--data-dir", str(missing))
    assert "--expired" in reason and "--all" in reason, reason
