"""A debootstrapped Debian 12 booted under systemd-nspawn: the package under a real systemd.

The rootfs is made once (make-rootfs, cached as a tarball in the ignored .build-container/) and
unpacked afresh for each test session. Commands run in it either without booting (`run`, as apt
and an admin's shell would before the first boot) or in a booted system (`boot`): a oneshot unit
runs `inside-check` for one phase after ashlink and tor@ashlink, writes /root/results/, and
powers the container off; the host then reads the results from the container's tree.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ashlink_harness.paths import REPOSITORY

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("ASHLINK_ROOTFS_CACHE", REPOSITORY / ".build-container"))

CHECK_UNIT = """[Unit]
Description=Ashlink container test: one phase of checks, then power off
After=ashlink.service tor@ashlink.service multi-user.target
Wants=ashlink.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/ashlink-inside-check
FailureAction=poweroff

[Install]
WantedBy=multi-user.target
"""


class Container:
    def __init__(self):
        tarball = CACHE / "bookworm.tar"
        subprocess.run([str(HERE / "make-rootfs"), str(tarball)], check=True)
        self.folder = Path(tempfile.mkdtemp(prefix="ashlink-container-", dir="/var/tmp"))
        self.root = self.folder / "root"
        self.root.mkdir(mode=0o755)
        os.chmod(self.root, 0o755)  # a 0700 "/" would lock every service account out
        subprocess.run(["tar", "-C", str(self.root), "--numeric-owner", "-xf", str(tarball)], check=True)
        shutil.copy(HERE / "inside-check", self.root / "usr/local/sbin/ashlink-inside-check")
        (self.root / "etc/systemd/system/ashlink-check.service").write_text(CHECK_UNIT)

    def path(self, inside):
        return self.root / inside.lstrip("/")

    def run(self, *command, check=True, timeout=300):
        """A command in the container's tree, not booted (no systemd running)."""
        result = subprocess.run(
            ["systemd-nspawn", "-D", str(self.root), "--register=no", "--keep-unit", "-q",
             "--console=pipe", *command],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def install(self, deb):
        """apt-get install of a .deb, keeping an admin's changed conffiles as Debian does unasked."""
        shutil.copy(deb, self.root / "root" / Path(deb).name)
        return self.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                        "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                        f"/root/{Path(deb).name}")

    def boot(self, phase, timeout=240, while_up=None):
        """Boots to multi-user, runs inside-check PHASE, and returns {name: text} of its results.
        `while_up`, if given, runs on the host while the container is up (the phase waits)."""
        self.path("/root/phase").write_text(phase + "\n")
        results = self.path("/root/results")
        shutil.rmtree(results, ignore_errors=True)
        wants = self.path("/etc/systemd/system/multi-user.target.wants/ashlink-check.service")
        wants.parent.mkdir(parents=True, exist_ok=True)
        wants.symlink_to("/etc/systemd/system/ashlink-check.service")
        console = self.folder / f"console-{phase}.log"
        with open(console, "w") as sink:
            booted = subprocess.Popen(
                ["systemd-nspawn", "-D", str(self.root), "--boot", "--register=no", "--keep-unit",
                 "--console=passive", "--capability=CAP_IPC_LOCK"],
                stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                if while_up is not None:
                    while_up()
                booted.wait(timeout=timeout)
            finally:
                if booted.poll() is None:
                    booted.kill()
                    booted.wait()
                wants.unlink()
        if not results.is_dir():
            raise AssertionError(f"phase {phase} left no results (exit {booted.returncode}):\n{console.read_text()[-3000:]}")
        return {entry.name: entry.read_text().strip() for entry in results.iterdir()}

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)
