internal import CKernelCalls
import Glibc

/// Whether `mlockall` is in force: secrets in locked memory never reach swap.
public enum MemoryLockState: Sendable, Equatable, CustomStringConvertible {
    /// `byCapability`: RLIMIT_MEMLOCK is below the budget, so the lock (and every later mapping,
    /// under MCL_FUTURE) relies on CAP_IPC_LOCK, which confinement must then keep.
    case locked(byCapability: Bool)
    /// Only when the configuration explicitly allows it (development); the reason is for the log.
    case unlocked(reason: String)

    public var reliesOnCapability: Bool { self == .locked(byCapability: true) }

    public var description: String {
        switch self {
        case .locked(let byCapability): return "memory locked (\(byCapability ? "by CAP_IPC_LOCK" : "within RLIMIT_MEMLOCK"))"
        case .unlocked(let reason): return "memory NOT locked (\(reason))"
        }
    }
}

/// What `confine` put in force, for one start-up log line.
public struct ConfinementReport: Sendable, CustomStringConvertible {
    public let uid: UInt32
    public let gid: UInt32
    /// The account dropped to, if the process started as root.
    public let droppedTo: ServiceAccount?
    /// Capabilities left in the effective and permitted sets, e.g. ["CAP_IPC_LOCK"] or [].
    public let capabilities: [String]
    /// Whether the bounding set was cut down to `capabilities` (needs root or CAP_SETPCAP).
    public let boundingDropped: Bool
    /// Threads that applied the credentials, no_new_privs and Landlock (the caller included).
    public let threadsConfined: Int
    public let landlock: LandlockStatus
    public let seccompRules: Int
    public let noNewPrivileges: Bool

    public var description: String {
        var parts = ["uid=\(uid) gid=\(gid)"]
        if let account = droppedTo { parts.append("dropped root to \(account.name):\(account.groupName)") }
        parts.append("caps=\(capabilities.isEmpty ? "none" : capabilities.joined(separator: ",")) ambient=none")
        parts.append("bounding=\(boundingDropped ? "same" : "unchanged (no CAP_SETPCAP)")")
        parts.append("no_new_privs=\(noNewPrivileges ? 1 : 0)")
        parts.append("seccomp=kill-by-default (\(seccompRules) rules)")
        parts.append(landlock.description)
        parts.append("threads=\(threadsConfined)")
        return parts.joined(separator: " ")
    }
}

/// Process confinement for `ashlink serve`, in two calls:
/// `prepareProcess` before anything reads a secret, `confine` once the listener is bound and the
/// vault is open. Decisions and reasons: docs/decisions/0004 and 0005.
public enum Confinement {
    /// Read-only paths the runtime itself needs after confinement, added to every `confine` call:
    /// `/proc` as a whole, because libdispatch opens `/proc/<thread id>/stat` of worker threads
    /// started after the rules are made, which no narrower rule can name (denying it crashes
    /// libdispatch; measured list in docs/decisions/0005); glibc and NIO read the CPU count and
    /// cgroup limits, time-zone data is read for local time, and SQLite seeds its PRNG from
    /// /dev/urandom on first use.
    public static let runtimeReadOnlyPaths = [
        "/proc", "/sys/devices/system/cpu", "/sys/fs/cgroup", "/etc/localtime", "/usr/share/zoneinfo", "/dev/urandom",
    ]

    /// Phase 1, first thing after config validation: umask 077, RLIMIT_CORE 0, PR_SET_DUMPABLE 0,
    /// a bounded thread/arena footprint, then `mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)`.
    ///
    /// MCL_ONFAULT locks each page when first touched instead of populating every mapping now: a
    /// page that held a secret was touched, so it still never reaches swap, but reserved address
    /// space (thread stacks, malloc arenas) costs no RAM. The kernel charges RLIMIT_MEMLOCK the same
    /// either way. Kernels without MCL_ONFAULT (before 4.4) get MCL_CURRENT | MCL_FUTURE.
    ///
    /// Fails closed: if memory cannot be locked, or an unprivileged process's RLIMIT_MEMLOCK is
    /// below `requiredLockLimit` (allocations would start failing later, under load), it throws
    /// naming the fix, unless `allowUnlockedMemory` (development only) is set.
    @discardableResult
    public static func prepareProcess(allowUnlockedMemory: Bool, requiredLockLimit: Int) throws -> MemoryLockState {
        umask(0o077)
        guard ashlink_set_core_limit_zero() == 0 else {
            throw HardeningError("cannot set RLIMIT_CORE to 0: \(errnoText(errno))")
        }
        guard ashlink_prctl_set_dumpable(0) == 0 else {
            throw HardeningError("cannot clear PR_SET_DUMPABLE: \(errnoText(errno))")
        }
        guard ashlink_set_malloc_arena_max(Int32(MemoryBudget.mallocArenaLimit)) == 1 else {
            throw HardeningError("cannot limit glibc's malloc arenas to \(MemoryBudget.mallocArenaLimit)")
        }
        let stackResult = ashlink_set_default_thread_stack(MemoryBudget.threadStackBytes)
        guard stackResult == 0 else {
            throw HardeningError(
                "cannot set the default thread stack to \(mebibytes(MemoryBudget.threadStackBytes)): \(errnoText(stackResult))")
        }

        let fix = "grant CAP_IPC_LOCK (systemd AmbientCapabilities=CAP_IPC_LOCK, or start as root with user= set) "
            + "or raise the limit to at least \(mebibytes(requiredLockLimit)) "
            + "(systemd LimitMEMLOCK=\(requiredLockLimit >> 20)M, shell `ulimit -l \(requiredLockLimit >> 10)`)"
        let limit = currentLockLimit()
        if geteuid() != 0 && !hasEffectiveCapability(ProcessStatus.capIPCLock) && limit.soft < UInt64(requiredLockLimit) {
            let reason = "RLIMIT_MEMLOCK is \(limit.soft == UInt64.max ? "unlimited" : mebibytes(Int(clamping: limit.soft))) without CAP_IPC_LOCK"
            if allowUnlockedMemory { return .unlocked(reason: reason) }
            throw HardeningError("cannot lock memory: \(reason); \(fix); or set allow_unlocked_memory for development only")
        }
        var rc = mlockall(MCL_CURRENT | MCL_FUTURE | ashlink_mcl_onfault())
        if rc != 0 && errno == EINVAL {
            rc = mlockall(MCL_CURRENT | MCL_FUTURE)
        }
        if rc != 0 {
            let code = errno
            let reason = "mlockall failed: \(errnoText(code))"
            if allowUnlockedMemory { return .unlocked(reason: reason) }
            throw HardeningError("cannot lock memory (\(reason)); \(fix); or set allow_unlocked_memory for development only")
        }
        return .locked(byCapability: limit.soft < UInt64(requiredLockLimit))
    }

    /// Whether `account` fits how the process was started: as root an account is required (root
    /// never serves), unprivileged it must be the current one if given. `confine` checks it again;
    /// callers check first so that a bad start is refused before anything is opened.
    public static func checkAccount(_ account: ServiceAccount?) throws {
        if geteuid() == 0 {
            guard account != nil else {
                throw HardeningError(
                    "refusing to serve as root: set user= (e.g. user=ashlink) so the server drops root after binding, "
                        + "or start it as an unprivileged user with CAP_IPC_LOCK (systemd User= and AmbientCapabilities=CAP_IPC_LOCK)")
            }
        } else if let account, account.uid != getuid() || account.gid != getgid() {
            throw HardeningError(
                "started as uid \(getuid()) gid \(getgid()) but user=\(account.name) is uid \(account.uid) gid \(account.gid): "
                    + "start as root (it drops privileges itself) or as that account")
        }
    }

    /// Phase 2, right after the listener is bound and the database opened, on whatever thread:
    ///
    /// 1. Credentials. As root: `account` is required; every thread drops to it (no supplementary
    ///    groups, setresgid, setresuid); then `setuid(0)` must fail. Not root: `account` may be nil
    ///    (already unprivileged, e.g. systemd `User=`); if given it must match the current uid/gid.
    ///    Either way every thread ends with the capabilities of `CapabilityPlan.forServing(memory:)`:
    ///    CAP_IPC_LOCK alone in effective and permitted when `memory` relies on it, else none;
    ///    inheritable and ambient empty; the bounding set cut down to the same where allowed.
    /// 2. Landlock, where the kernel has it: read-write beneath `writablePaths`, read-only beneath
    ///    `readOnlyPaths` plus `runtimeReadOnlyPaths`; nothing else. Where the kernel or a container
    ///    refuses it, confinement fails unless `allowWithoutLandlock` (then it is reported).
    /// 3. PR_SET_NO_NEW_PRIVS and the `SyscallFilter.server` allowlist on every thread (TSYNC),
    ///    default action kill-process.
    ///
    /// Credentials and Landlock are per thread, so steps 1–2 run on every thread through
    /// `ThreadBroadcast` (docs/decisions/0005). Everything is verified from /proc afterwards;
    /// any failure throws, and the caller must then exit rather than serve.
    @discardableResult
    public static func confine(
        account: ServiceAccount?, memory: MemoryLockState, writablePaths: [String], readOnlyPaths: [String],
        allowWithoutLandlock: Bool
    ) throws -> ConfinementReport {
        try checkAccount(account)
        let isRoot = geteuid() == 0
        let capabilities = try CapabilityPlan.forServing(memory: memory)

        var landlock: LandlockStatus
        var rulesetFD: Int32 = -1
        switch Landlock.abiVersion() {
        case .success(let abi):
            rulesetFD = try Landlock.makeRuleset(
                abi: abi, writable: writablePaths, readOnly: readOnlyPaths + runtimeReadOnlyPaths)
            landlock = .enforced(abi: abi)
        case .failure(let why):
            guard allowWithoutLandlock else {
                throw HardeningError(
                    "Landlock is not available (\(why.reason)): refusing to serve with file access bounded only by "
                        + "permissions and seccomp; set allow_without_landlock = true to accept that on this box")
            }
            landlock = .unavailable(reason: why.reason)
        }
        defer { if rulesetFD >= 0 { close(rulesetFD) } }

        let plan = ThreadPlan(
            credentials: isRoot ? (account!.uid, account!.gid) : nil,
            capabilities: capabilities,
            setNoNewPrivs: true,
            landlockRuleset: rulesetFD)
        let threads = try ThreadBroadcast.apply(plan)

        if isRoot {
            // The drop must be permanent: neither uid 0 nor gid 0 may come back.
            if ashlink_raw_setuid(0) == 0 || ashlink_raw_setgid(0) == 0 {
                throw HardeningError("privilege drop is not permanent: setuid(0)/setgid(0) still succeed; refusing to serve")
            }
        }
        let expected = isRoot ? (uid: account!.uid, gid: account!.gid) : (uid: getuid(), gid: getgid())
        try capabilities.checkCallingThread()
        try verifyThreads(uid: expected.uid, gid: expected.gid, droppedGroups: isRoot, capabilities: capabilities)

        let installation = try SyscallFilter.server.install()
        try verifySeccompOnAllThreads()

        let status = ProcessStatus.current()
        return ConfinementReport(
            uid: status.uid, gid: status.gid, droppedTo: isRoot ? account : nil,
            capabilities: Capabilities.nameList(status.effectiveCapabilities), boundingDropped: capabilities.dropBounding,
            threadsConfined: threads, landlock: landlock,
            seccompRules: installation.rulesLoaded, noNewPrivileges: status.noNewPrivileges)
    }

    /// Every thread: real/effective/saved/fs ids as expected, no supplementary groups (when we
    /// dropped them), exactly the planned capability sets, no_new_privs.
    private static func verifyThreads(uid: UInt32, gid: UInt32, droppedGroups: Bool, capabilities: CapabilityPlan) throws {
        for tid in ThreadBroadcast.threadIDs() {
            guard let status = readTextFile("/proc/self/task/\(tid)/status") else { continue }  // exited
            let uids = statusField("Uid", in: status)?.split(separator: "\t").compactMap { UInt32($0) } ?? []
            let gids = statusField("Gid", in: status)?.split(separator: "\t").compactMap { UInt32($0) } ?? []
            guard uids.count == 4, uids.allSatisfy({ $0 == uid }), gids.count == 4, gids.allSatisfy({ $0 == gid }) else {
                throw HardeningError("thread \(tid) still has uid \(uids) gid \(gids) after the privilege drop; refusing to serve")
            }
            let groups = statusField("Groups", in: status) ?? ""
            if droppedGroups && !groups.isEmpty {
                throw HardeningError("thread \(tid) kept supplementary groups '\(groups)'; refusing to serve")
            }
            if let mismatch = capabilities.mismatch(inStatus: status) {
                throw HardeningError("thread \(tid) has the wrong capabilities after confinement (\(mismatch)); refusing to serve")
            }
            guard statusField("NoNewPrivs", in: status) == "1" else {
                throw HardeningError("thread \(tid) lacks no_new_privs after confinement; refusing to serve")
            }
        }
    }

    private static func verifySeccompOnAllThreads() throws {
        for tid in ThreadBroadcast.threadIDs() {
            guard let status = readTextFile("/proc/self/task/\(tid)/status") else { continue }
            guard statusField("Seccomp", in: status) == "2" else {
                throw HardeningError("thread \(tid) is not under the seccomp filter (TSYNC failed?); refusing to serve")
            }
        }
    }

    /// RLIMIT_MEMLOCK in bytes; `UInt64.max` means unlimited.
    static func currentLockLimit() -> (soft: UInt64, hard: UInt64) {
        var soft: UInt64 = 0, hard: UInt64 = 0
        guard ashlink_get_memlock_limit(&soft, &hard) == 0 else { return (0, 0) }
        return (soft, hard)
    }

    static func hasEffectiveCapability(_ capability: Int) -> Bool {
        guard let sets = Capabilities.ofCallingThread() else { return false }
        return sets.effective & (UInt64(1) << UInt64(capability)) != 0
    }
}
