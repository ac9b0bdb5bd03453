internal import CKernelCalls
import Glibc

/// The capabilities a confined server keeps, and the check that it holds exactly those.
///
/// Whatever the start — root dropping to the service account, systemd's `User=` with ambient
/// capabilities, a binary carrying file capabilities — every thread ends with effective =
/// permitted = `keep`, inheritable and ambient empty. `keep` is {CAP_IPC_LOCK} when the memory
/// lock relies on it (RLIMIT_MEMLOCK below the budget: after `mlockall(MCL_FUTURE)` every new
/// mapping needs it), otherwise empty. The bounding set is cut down to `keep` where the process
/// may (root, or CAP_SETPCAP); it only matters at `execve`, which seccomp forbids anyway.
/// docs/decisions/0005.
struct CapabilityPlan: Equatable {
    var keep: UInt64
    var dropBounding: Bool

    static let ipcLock = UInt64(1) << UInt64(ProcessStatus.capIPCLock)
    /// CAP_SETPCAP's bit number: dropping from the bounding set needs it.
    static let setPCap = 8

    /// The plan for this process, given how `prepareProcess` locked memory.
    static func forServing(memory: MemoryLockState) throws -> CapabilityPlan {
        let keep = memory.reliesOnCapability ? ipcLock : 0
        guard let current = Capabilities.ofCallingThread() else {
            throw HardeningError("capget failed: \(errnoText(errno)); refusing to serve")
        }
        guard current.permitted & keep == keep else {
            throw HardeningError("the memory lock needs CAP_IPC_LOCK but it is not permitted any more; refusing to serve")
        }
        let mayDropBounding = geteuid() == 0 || current.effective & (UInt64(1) << UInt64(setPCap)) != 0
        return CapabilityPlan(keep: keep, dropBounding: mayDropBounding)
    }

    /// Why one thread's `/proc/.../status` does not match the plan, or nil when it does.
    func mismatch(inStatus status: String) -> String? {
        func mask(_ key: String) -> UInt64? { statusField(key, in: status).flatMap { UInt64($0, radix: 16) } }
        let expected: [(String, UInt64)] = [("CapEff", keep), ("CapPrm", keep), ("CapInh", 0), ("CapAmb", 0)]
            + (dropBounding ? [("CapBnd", keep)] : [])
        for (key, value) in expected where mask(key) != value {
            return "\(key) is \(mask(key).map { Capabilities.names($0) } ?? "unreadable"), expected \(Capabilities.names(value))"
        }
        return nil
    }

    /// The calling thread's sets as `capget` reports them, against the plan.
    func checkCallingThread() throws {
        guard let now = Capabilities.ofCallingThread() else {
            throw HardeningError("capget failed after confinement: \(errnoText(errno)); refusing to serve")
        }
        guard now.effective == keep, now.permitted == keep, now.inheritable == 0 else {
            throw HardeningError(
                "capabilities after confinement are effective \(Capabilities.names(now.effective)), permitted "
                    + "\(Capabilities.names(now.permitted)), inheritable \(Capabilities.names(now.inheritable)); "
                    + "expected effective = permitted = \(Capabilities.names(keep)), inheritable none; refusing to serve")
        }
    }
}

/// Capability sets of one thread, and their names for log lines and errors.
struct Capabilities {
    var effective: UInt64
    var permitted: UInt64
    var inheritable: UInt64

    static func ofCallingThread() -> Capabilities? {
        var eff: UInt64 = 0, prm: UInt64 = 0, inh: UInt64 = 0
        guard ashlink_capget(&eff, &prm, &inh) == 0 else { return nil }
        return Capabilities(effective: eff, permitted: prm, inheritable: inh)
    }

    /// Bit numbers from linux/capability.h, in order.
    private static let knownNames = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// e.g. [CAP_IPC_LOCK], or [] for the empty set.
    static func nameList(_ set: UInt64) -> [String] {
        (0..<64).filter { set & (UInt64(1) << UInt64($0)) != 0 }.map { $0 < knownNames.count ? knownNames[$0] : "cap\($0)" }
    }

    /// e.g. "CAP_IPC_LOCK,CAP_NET_RAW", or "none".
    static func names(_ set: UInt64) -> String {
        let list = nameList(set)
        return list.isEmpty ? "none" : list.joined(separator: ",")
    }
}
