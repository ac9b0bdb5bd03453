"""Exec a program under an approximation of ashlink.service's sandbox, for test_serve.py.

Run it as the unprivileged user (setpriv does that, with CAP_IPC_LOCK ambient, like
User=ashlink + AmbientCapabilities=CAP_IPC_LOCK), inside `unshare --net --ipc`
(PrivateNetwork, PrivateIPC). It then applies, in this order, what systemd applies last:
UMask=0077, LimitCORE=0, NoNewPrivileges=yes, MemoryDenyWriteExecute=yes (the kernel's
PR_SET_MDWE), and the unit's SystemCallFilter= and RestrictAddressFamilies=AF_UNIX as one
seccomp filter whose default action kills the process, as systemd's does; then execs.

usage: sandbox_exec.py SYSCALL_LIST_FILE PROGRAM [ARGS...]
The file holds the allowed system call names, one per line (see test_serve.allowed_syscalls).
"""

import ctypes
import os
import resource
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_MDWE = 65
PR_MDWE_REFUSE_EXEC_GAIN = 1
SCMP_ACT_KILL_PROCESS = 0x80000000
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE = 1
SCMP_CMP_EQ = 4
AF_UNIX = 1
EAFNOSUPPORT = 97


class ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def scmp_act_errno(errno):
    return 0x00050000 | (errno & 0xFFFF)


def main():
    names_file, program = sys.argv[1], sys.argv[2]
    allowed = [line.strip() for line in open(names_file) if line.strip()]

    os.umask(0o077)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("sandbox_exec: PR_SET_NO_NEW_PRIVS failed")
    if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
        print("sandbox_exec: PR_SET_MDWE unavailable on this kernel; MemoryDenyWriteExecute not emulated", file=sys.stderr)

    seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    seccomp.seccomp_init.restype = ctypes.c_void_p
    seccomp.seccomp_init.argtypes = [ctypes.c_uint32]
    seccomp.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    seccomp.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(ArgCmp)]
    seccomp.seccomp_load.argtypes = [ctypes.c_void_p]
    ctx = seccomp.seccomp_init(SCMP_ACT_KILL_PROCESS)
    if not ctx:
        sys.exit("sandbox_exec: seccomp_init failed")
    for name in allowed:
        number = seccomp.seccomp_syscall_resolve_name(name.encode())
        if number < 0:
            continue  # not a system call of this architecture
        if name == "socket":  # RestrictAddressFamilies=AF_UNIX: others get EAFNOSUPPORT
            unix = ArgCmp(0, SCMP_CMP_EQ, AF_UNIX, 0)
            other = ArgCmp(0, SCMP_CMP_NE, AF_UNIX, 0)
            rc = seccomp.seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, number, 1, ctypes.byref(unix))
            rc = rc or seccomp.seccomp_rule_add_array(ctx, scmp_act_errno(EAFNOSUPPORT), number, 1, ctypes.byref(other))
        else:
            rc = seccomp.seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, number, 0, None)
        if rc != 0:
            sys.exit(f"sandbox_exec: cannot allow {name}: {rc}")
    if seccomp.seccomp_load(ctx) != 0:
        sys.exit("sandbox_exec: seccomp_load failed")
    os.execv(program, sys.argv[2:])


if __name__ == "__main__":
    main()
