internal import CKernelCalls
internal import CSeccomp
import Glibc

/// The seccomp allowlist, shared by `serve` and the tests (no test-only code path).
///
/// Default action: kill the whole process (`SCMP_ACT_KILL_PROCESS`), so a compromised request
/// handler that tries anything outside the list ends the server rather than a single thread.
/// The list is what the running server was seen to need (docs/decisions/0004):
/// its event loop, the sockets it already holds, the vault's SQLite file I/O, time, memory and
/// threads. Names are resolved for the running architecture, so `open` (x86_64 only) is simply
/// skipped on aarch64.
public struct SyscallFilter: Sendable {
    /// What a matching rule does. The default action (kill the process) needs no rule.
    public enum Action: Sendable, Equatable {
        case allow
        /// Fail the call with this errno instead of killing: for calls where a graceful failure is
        /// the expected outcome (clone3 -> ENOSYS makes glibc fall back to clone).
        case errno(Int32)
    }

    /// The value a condition compares against.
    public enum Operand: Sendable, Equatable {
        case constant(UInt64)
        /// The process id at install time (kill/tgkill may only target this process).
        case currentProcess
    }

    /// A comparison of one system-call argument.
    public struct Condition: Sendable, Equatable {
        public var argument: UInt32
        /// Bits compared; `UInt64.max` means plain equality.
        public var mask: UInt64
        public var value: Operand

        public static func equal(_ argument: UInt32, _ value: Operand) -> Condition {
            Condition(argument: argument, mask: .max, value: value)
        }

        public static func masked(_ argument: UInt32, mask: UInt64, equals value: UInt64) -> Condition {
            Condition(argument: argument, mask: mask, value: .constant(value))
        }
    }

    /// One libseccomp rule; several rules for one system call are alternatives (OR), the
    /// conditions of one rule must all hold (AND).
    public struct Rule: Sendable, Equatable {
        public var syscall: String
        public var action: Action
        public var conditions: [Condition]

        public init(_ syscall: String, _ action: Action = .allow, _ conditions: [Condition] = []) {
            self.syscall = syscall
            self.action = action
            self.conditions = conditions
        }
    }

    public let rules: [Rule]

    /// Validates that no rule allows a call from `neverAllowed`.
    public init(rules: [Rule]) throws {
        let bad = rules.filter { $0.action == .allow && Self.neverAllowed.contains($0.syscall) }
        guard bad.isEmpty else {
            throw HardeningError("seccomp allowlist names forbidden system calls: \(bad.map(\.syscall).joined(separator: ", "))")
        }
        self.rules = rules
    }

    /// System calls that no version of the allowlist may ever allow, whatever a future change adds.
    /// `clone` is not here: it is allowed only with CLONE_THREAD (see `server`).
    public static let neverAllowed: Set<String> = [
        "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev",
        "mount", "umount2", "umount", "chroot", "pivot_root", "move_mount", "open_tree", "fsopen", "fsmount",
        "fsconfig", "fspick", "mount_setattr", "unshare", "setns",
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
        "add_key", "request_key", "keyctl", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
        "socket", "socketpair", "connect", "bind", "listen",
        "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid",
        "capset", "seccomp", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
        "mlockall", "munlockall", "swapon", "swapoff", "personality", "iopl", "ioperm", "acct",
        "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
        "open_by_handle_at", "name_to_handle_at", "kcmp", "pidfd_getfd", "pidfd_open", "memfd_create",
        "pkey_mprotect", "mbind", "set_mempolicy", "migrate_pages", "move_pages",
    ]

    /// Allowed without conditions.
    static let plainAllowed: [String] = [
        // event loop
        "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd2",
        "timerfd_create", "timerfd_settime", "timerfd_gettime", "poll", "ppoll", "select", "pselect6",
        "signalfd4",
        // the listener and accepted connections (new sockets cannot be made: `socket` is not allowed)
        "accept", "accept4", "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg", "shutdown",
        "getsockopt", "setsockopt", "getsockname", "getpeername",
        // descriptor I/O
        "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
        "close", "close_range", "dup", "dup3", "lseek",
        // files: which ones is Landlock's business (read-only /proc is required by libdispatch)
        "openat", "open", "fstat", "newfstatat", "stat", "lstat", "statx", "fstatfs", "statfs",
        "access", "faccessat", "faccessat2", "readlink", "readlinkat", "getdents64", "getcwd",
        "unlink", "unlinkat", "ftruncate", "fsync", "fdatasync", "fallocate", "msync", "flock",
        // identity and limits, read-only
        "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups", "capget",
        "getpid", "getppid", "gettid", "uname", "getrlimit", "getrusage", "sysinfo", "times",
        // time
        "clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep",
        // memory (mlock: libsodium's guarded buffers, already locked by mlockall; munlock below)
        "munmap", "mremap", "madvise", "brk", "mlock", "mlock2", "membarrier",
        // threads and scheduling
        "futex", "futex_waitv", "set_robust_list", "rseq", "set_tid_address", "sched_yield",
        "sched_getaffinity", "sched_getparam", "sched_getscheduler", "sched_get_priority_max",
        "sched_get_priority_min", "getpriority", "setpriority", "getcpu",
        // signals
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "rt_sigsuspend", "sigaltstack",
        "restart_syscall",
        "getrandom", "exit", "exit_group",
    ]

    /// fcntl commands allowed after confinement: SQLite's advisory locks (F_SETLK, measured; F_GETLK
    /// when it probes another connection's reserved lock), and the descriptor and status flags
    /// (close-on-exec, O_NONBLOCK) that NIO sets on descriptors it adopts. F_SETLKW is not
    /// among them: Debian's SQLite is built without SQLITE_ENABLE_SETLK_TIMEOUT, the only user.
    static let fcntlCommands: [UInt64] = [F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK].map { UInt64($0) }

    /// The filter `ashlink serve` installs once its listener is bound and the vault is open.
    public static let server: SyscallFilter = {
        var rules = plainAllowed.map { Rule($0) }
        let protExec = UInt64(PROT_EXEC)
        rules += [
            // Threads only: CLONE_THREAD set and no namespace flags. A fork-style clone kills.
            Rule("clone", .allow, [.masked(0, mask: ashlink_clone_thread() | ashlink_clone_namespace_flags(),
                                           equals: ashlink_clone_thread())]),
            // glibc tries clone3 first and falls back to clone on ENOSYS; clone3's flags live in
            // memory that seccomp cannot inspect.
            Rule("clone3", .errno(ENOSYS)),
            // No new executable memory after start-up (W^X); refused rather than killed so that a
            // late dlopen fails with an error instead of taking the server down.
            Rule("mmap", .allow, [.masked(2, mask: protExec, equals: 0)]),
            Rule("mmap", .errno(EACCES), [.masked(2, mask: protExec, equals: protExec)]),
            Rule("mprotect", .allow, [.masked(2, mask: protExec, equals: 0)]),
            Rule("mprotect", .errno(EACCES), [.masked(2, mask: protExec, equals: protExec)]),
            // Signals to this process only (raise/abort use tgkill(getpid(), tid, sig)).
            Rule("kill", .allow, [.equal(0, .currentProcess)]),
            Rule("tgkill", .allow, [.equal(0, .currentProcess)]),
            // Reading resource limits only; setting them is not allowed.
            Rule("prlimit64", .allow, [.equal(2, .constant(0))]),
            // Unlocking would let pages that held secrets reach swap: libsodium's sodium_free calls
            // munlock just before unmapping and ignores the result, so the call is refused, not killed.
            Rule("munlock", .errno(EPERM)),
        ]
        // fcntl: only the commands in use (docs/decisions/0004). Everything else kills, notably
        // F_SETOWN/F_SETOWN_EX/F_SETSIG (they would make the kernel signal another process of the
        // same account), leases, directory notifications and pipe sizes. The command is an int in
        // the kernel, so only the low 32 bits are compared.
        for command in fcntlCommands {
            rules.append(Rule("fcntl", .allow, [.masked(1, mask: 0xffff_ffff, equals: command)]))
        }
        // prctl: thread names (NIO, libdispatch) and read-only queries.
        for option in [ashlink_pr_set_name(), ashlink_pr_get_name(), UInt64(PR_GET_DUMPABLE),
                       UInt64(PR_GET_NO_NEW_PRIVS), UInt64(PR_GET_SECCOMP)] {
            rules.append(Rule("prctl", .allow, [.equal(0, .constant(option))]))
        }
        // ioctl: non-blocking mode, readable byte count, close-on-exec, and isatty()/terminal size.
        // The request is an unsigned int in the kernel, so only the low 32 bits are compared.
        for request in [ashlink_ioctl_fionbio(), ashlink_ioctl_fionread(), ashlink_ioctl_fioclex(),
                        ashlink_ioctl_fionclex(), ashlink_ioctl_tcgets(), ashlink_ioctl_tiocgwinsz()] {
            rules.append(Rule("ioctl", .allow, [.masked(1, mask: 0xffff_ffff, equals: request)]))
        }
        // `try!` is safe: a violation of `neverAllowed` here is a programming error caught by every test run.
        return try! SyscallFilter(rules: rules)
    }()

    /// Names of system calls this filter allows in some form, sorted.
    public var allowedSyscallNames: [String] {
        Array(Set(rules.filter { $0.action == .allow }.map(\.syscall))).sorted()
    }

    /// What `install()` did.
    public struct Installation: Sendable {
        /// Rules loaded into the kernel; names this architecture lacks (e.g. `open` on aarch64) are not.
        public let rulesLoaded: Int
    }

    /// PR_SET_NO_NEW_PRIVS, then load the filter on every thread (`SCMP_FLTATR_CTL_TSYNC`): without
    /// TSYNC only the calling thread would be filtered and NIO's event loops would not.
    @discardableResult
    public func install() throws -> Installation {
        guard ashlink_prctl_set_no_new_privs() == 0 else {
            throw HardeningError("PR_SET_NO_NEW_PRIVS failed: \(errnoText(errno))")
        }
        guard let context = seccomp_init(ashlink_scmp_act_kill_process()) else {
            throw HardeningError("seccomp_init failed: is libseccomp installed and the kernel built with CONFIG_SECCOMP_FILTER?")
        }
        defer { seccomp_release(context) }
        var rc = seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, ashlink_scmp_act_kill_process())
        guard rc == 0 else { throw HardeningError("seccomp: cannot set the bad-architecture action: \(errnoText(-rc))") }
        rc = seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1)
        guard rc == 0 else {
            throw HardeningError("seccomp: thread synchronisation (TSYNC) is unsupported: \(errnoText(-rc)); needs Linux 3.17+")
        }
        let pid = UInt64(UInt32(bitPattern: getpid()))
        var loaded = 0
        for rule in rules {
            let number = seccomp_syscall_resolve_name(rule.syscall)
            if number < 0 { continue }  // not on this architecture
            var comparisons = rule.conditions.map { condition -> scmp_arg_cmp in
                let value: UInt64
                switch condition.value {
                case .constant(let v): value = v
                case .currentProcess: value = pid
                }
                if condition.mask == .max {
                    return scmp_arg_cmp(arg: condition.argument, op: SCMP_CMP_EQ, datum_a: value, datum_b: 0)
                }
                return scmp_arg_cmp(arg: condition.argument, op: SCMP_CMP_MASKED_EQ, datum_a: condition.mask, datum_b: value)
            }
            let action: UInt32
            switch rule.action {
            case .allow: action = ashlink_scmp_act_allow()
            case .errno(let code): action = ashlink_scmp_act_errno(UInt16(code))
            }
            rc = comparisons.withUnsafeMutableBufferPointer {
                seccomp_rule_add_array(context, action, number, UInt32($0.count), $0.baseAddress)
            }
            guard rc == 0 else {
                throw HardeningError("seccomp: cannot add the rule for \(rule.syscall): \(errnoText(-rc))")
            }
            loaded += 1
        }
        rc = seccomp_load(context)
        guard rc == 0 else {
            throw HardeningError("seccomp: loading the filter failed: \(errnoText(-rc)); every thread must be unfiltered or share this filter's ancestry")
        }
        return Installation(rulesLoaded: loaded)
    }
}
