"""`doctor` checks that tor's account can reach the socket the way tor meets it: the modes of every
folder and of the socket for that account's uid and primary group, and (as root) a real connection
made as that account. The packaged layout is checked under systemd in Tests/Container."""

import grp
import os
import pwd

import pytest

from ashlink_harness.commands import run_ashlink
from ashlink_harness.server import AS_SERVICE_ACCOUNT, Server, reachable_copy

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="doctor's real connection as another account needs root")


def reach_line(output):
    return next(line for line in output.splitlines() if " tor reaches socket " in f" {line} ")


def test_tors_group_connects_and_an_account_outside_it_is_refused(workdir):
    # As the package lays it out: the folder is the server's with tor's group (here: daemon), setgid.
    nobody = pwd.getpwnam("nobody").pw_uid
    tor_group = grp.getgrnam("daemon").gr_gid
    folder = workdir / "run"
    folder.mkdir()
    os.chown(folder, nobody, tor_group)
    os.chmod(folder, 0o2750)
    data_dir = workdir / "var"
    data_dir.mkdir(mode=0o700)
    os.chown(data_dir, nobody, nobody)
    socket_path = folder / "http.sock"
    server = Server(data_dir, listen=f"unix:{socket_path}", home=workdir,
                    command=AS_SERVICE_ACCOUNT + [str(reachable_copy(workdir))], drop_root=False)
    try:
        torrc = workdir / "torrc"
        torrc.write_text(f"HiddenServicePort 80 unix:{socket_path}\n")

        def doctor(account):
            return run_ashlink("doctor", "--listen", f"unix:{socket_path}", "--data-dir", str(data_dir),
                               "--torrc", str(torrc), "--tor-user", account)

        # daemon's primary group is the socket's group.
        reached = reach_line(doctor("daemon").stdout)
        assert reached.startswith("ok ") and f"connected to {socket_path}" in reached, reached
        # bin is neither the owner nor in the group: the setgid folder shuts it out.
        refused = doctor("bin")
        line = reach_line(refused.stdout)
        assert line.startswith("FAIL") and "no search permission" in line, line
        assert refused.returncode == 1
        assert "NOT ready for production" in refused.stdout
    finally:
        assert server.stop() == 0
