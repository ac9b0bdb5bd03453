"""The .deb itself: its files, metadata, maintainer scripts, the static binary, lintian."""

import os
import re
import shutil
import stat
import time

import pytest

from ashlink_harness.commands import run
from ashlink_harness.paths import PACKAGING, REPOSITORY

REQUIRED_FILES = {
    # path in the package: mode
    "usr/sbin/ashlink": 0o755,
    "etc/ashlink/ashlink.conf": 0o644,
    "etc/tor/instances/ashlink/torrc": 0o644,
    "lib/systemd/system/ashlink.service": 0o644,
    "lib/systemd/system/tor@ashlink.service.d/ashlink-memory-lock.conf": 0o644,
    "usr/lib/systemd/journald.conf.d/ashlink.conf": 0o644,
    "usr/share/man/man8/ashlink.8.gz": 0o644,
    "usr/share/doc/ashlink/copyright": 0o644,
    "usr/share/doc/ashlink/changelog.gz": 0o644,
    "usr/share/doc/ashlink/install.md": 0o644,
    "usr/share/doc/ashlink/tor.md": 0o644,
    "usr/share/doc/ashlink/inbox.md": 0o644,
    "usr/share/doc/ashlink/examples/ashlink.conf.example": 0o644,
}


def contents(deb):
    """`dpkg-deb -c`: {path: (mode string, owner/group)} for every entry."""
    listing = run(["dpkg-deb", "-c", str(deb)], check=True).stdout
    entries = {}
    for line in listing.splitlines():
        fields = line.split(None, 5)
        path = fields[5].split(" -> ")[0]
        entries[path.removeprefix("./").rstrip("/")] = (fields[0], fields[1])
    return entries


def mode_string(mode):
    return stat.filemode(stat.S_IFREG | mode)


def control(deb):
    text = run(["dpkg-deb", "-f", str(deb)], check=True).stdout
    fields, key = {}, None
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def test_file_list_modes_and_owners(deb):
    entries = contents(deb)
    for path, mode in REQUIRED_FILES.items():
        assert path in entries, f"{path} missing from {deb.name}"
        assert entries[path] == (mode_string(mode), "root/root"), f"{path}: {entries[path]}"
    # The vault is made by postinst/systemd with mode 0700; dpkg must not own it (it would
    # reset the mode on upgrade), and nothing may be setuid or world-writable.
    assert not any(path.startswith("var/lib/ashlink") for path in entries)
    for path, (mode, _) in entries.items():
        assert "s" not in mode and "S" not in mode and mode[8] != "w", f"{path}: {mode}"


def test_conffiles(unpacked):
    conffiles = (unpacked / "DEBIAN" / "conffiles").read_text().split()
    assert sorted(conffiles) == ["/etc/ashlink/ashlink.conf", "/etc/tor/instances/ashlink/torrc"]
    for conffile in conffiles:
        assert (unpacked / conffile.lstrip("/")).is_file()


def test_packaged_files_are_the_sources(unpacked):
    """What the other tests check in packaging/ is what the package ships."""
    pairs = {
        "ashlink.service": "lib/systemd/system/ashlink.service",
        "ashlink.conf": "etc/ashlink/ashlink.conf",
        "tor-instance.torrc": "etc/tor/instances/ashlink/torrc",
        "tor-instance-memory-lock.conf": "lib/systemd/system/tor@ashlink.service.d/ashlink-memory-lock.conf",
        "journald-ashlink.conf": "usr/lib/systemd/journald.conf.d/ashlink.conf",
        "debian/copyright": "usr/share/doc/ashlink/copyright",
    }
    for source, packaged in pairs.items():
        assert (PACKAGING / source).read_bytes() == (unpacked / packaged).read_bytes(), source
    example = unpacked / "usr/share/doc/ashlink/examples/ashlink.conf.example"
    assert (REPOSITORY / "ashlink.conf.example").read_bytes() == example.read_bytes(), "the unknown-key error points there"
    for script in ("postinst", "prerm", "postrm"):
        assert (PACKAGING / "debian" / script).read_bytes() == (unpacked / "DEBIAN" / script).read_bytes()


def test_control_fields(deb):
    fields = control(deb)
    version = run(["dpkg-parsechangelog", "-l", str(PACKAGING / "changelog"), "-S", "Version"], check=True).stdout.strip()
    assert fields["Package"] == "ashlink"
    assert fields["Version"] == version
    assert deb.name == f"ashlink_{version}_{fields['Architecture']}.deb"
    depends = [d.strip().split()[0] for d in fields["Depends"].split(",")]
    assert depends[0] == "libc6" and {"adduser", "tor"} <= set(depends), fields["Depends"]
    for source in ("libsodium", "sqlite3", "libseccomp"):
        assert re.search(rf"\b{source} \(= ", fields["Built-Using"]), fields["Built-Using"]


def test_binary_is_static_and_stripped(unpacked):
    binary = unpacked / "usr/sbin/ashlink"
    allowed = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"}
    libraries = {line.split()[0] for line in run(["ldd", str(binary)], check=True).stdout.splitlines() if line.strip()}
    assert libraries <= allowed, f"dynamic libraries beyond the C runtime: {sorted(libraries - allowed)}"
    assert ".symtab" not in run(["readelf", "-S", "-W", str(binary)], check=True).stdout, "binary is not stripped"
    # Without full Foundation and its ICU data (docs/decisions/0024): a dependency that brings
    # them back adds some 40 MiB, and fails here.
    size = binary.stat().st_size
    assert size <= 30 * 1024 * 1024, f"the binary is {size / 1048576:.1f} MiB, over 30 MiB"
    # It runs on its own (and says something sensible).
    help_text = run([str(binary), "--help"]).stdout
    assert "serve" in help_text and "check-config" in help_text


def test_maintainer_scripts(unpacked):
    for script in ("postinst", "prerm", "postrm"):
        path = unpacked / "DEBIAN" / script
        assert os.stat(path).st_mode & 0o777 == 0o755
        text = path.read_text()
        assert text.startswith("#!/bin/sh\n") and "set -e" in text
        assert run(["sh", "-n", str(path)]).returncode == 0
        # Never touch another package's conffiles: only our own paths under /etc.
        for etc_path in re.findall(r"/etc/[\w./-]+", text):
            assert etc_path.startswith(("/etc/ashlink", "/etc/tor/instances/ashlink")), f"{script}: {etc_path}"
        assert "sed -i" not in text and "/etc/tor/torrc" not in text
    postinst = (unpacked / "DEBIAN" / "postinst").read_text()
    assert "adduser --quiet --system --group" in postinst and "install -d -m 0700 -o ashlink -g ashlink /var/lib/ashlink" in postinst
    assert "tor-instance-create ashlink" in postinst


def test_man_page_renders(unpacked):
    if not shutil.which("man"):
        pytest.skip("man is not installed (Debian package man-db)")
    page = unpacked / "usr/share/man/man8/ashlink.8.gz"
    result = run(["man", "--warnings", "-l", "-Tutf8", str(page)], env={**os.environ, "MANWIDTH": "80", "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert "ashlink - one-time secret links" in run(["man", "-l", str(page)], env={**os.environ, "MANPAGER": "cat"}).stdout


def test_lintian_reports_no_errors(deb):
    if not shutil.which("lintian"):
        pytest.skip("lintian is not installed (make deps installs it)")
    started = time.monotonic()
    result = run(["lintian", "--fail-on", "error", "--no-tag-display-limit", str(deb)], timeout=600)
    elapsed = time.monotonic() - started
    print(f"lintian took {elapsed:.1f} s\n{result.stdout}")
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr
