"""Runs a command as on a kernel without Landlock: `python3 without_landlock.py PROGRAM ARGS...`.

A seccomp filter (allow everything else) makes `landlock_create_ruleset` fail with ENOSYS, which
is what Linux before 5.13, or one built without Landlock, answers; then it execs PROGRAM, which
inherits the filter. Uses libseccomp through ctypes; must run as root (no_new_privs is not set,
so that PROGRAM may still drop root itself).
"""

import ctypes
import errno
import os
import sys

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_FLTATR_CTL_TSYNC = 4


def scmp_act_errno(code):
    return 0x00050000 | (code & 0xFFFF)


def hide_landlock():
    seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    seccomp.seccomp_init.restype = ctypes.c_void_p
    seccomp.seccomp_init.argtypes = [ctypes.c_uint32]
    seccomp.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    seccomp.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    seccomp.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    seccomp.seccomp_load.argtypes = [ctypes.c_void_p]
    context = seccomp.seccomp_init(SCMP_ACT_ALLOW)
    number = seccomp.seccomp_syscall_resolve_name(b"landlock_create_ruleset")
    if not context or number < 0:
        raise SystemExit("libseccomp does not know landlock_create_ruleset")
    for rc in (seccomp.seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1),
               seccomp.seccomp_rule_add(context, scmp_act_errno(errno.ENOSYS), number, 0),
               seccomp.seccomp_load(context)):
        if rc != 0:
            raise SystemExit(f"cannot install the filter that hides Landlock: {os.strerror(-rc)}")


if __name__ == "__main__":
    hide_landlock()
    os.execv(sys.argv[1], sys.argv[1:])
