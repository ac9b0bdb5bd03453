internal import CKernelCalls
import Glibc

/// What `ashlink doctor` prints about the kernel and this process's limits: which of the
/// protections `serve` applies can actually be in force on this box, before anything is served.
public struct SystemInspection: Sendable {
    public struct Check: Sendable, Equatable {
        public let check: String
        public let ok: Bool
        public let detail: String
        /// A production install needs this; `doctor` exits non-zero when a required check fails.
        public let required: Bool

        /// Public so that `doctor` reports its own checks (files, tor) as the same kind of line.
        public init(check: String, ok: Bool, detail: String, required: Bool) {
            self.check = check
            self.ok = ok
            self.detail = detail
            self.required = required
        }
    }

    public let checks: [Check]

    /// (check, ok, detail) triples in display order.
    public var lines: [(check: String, ok: Bool, detail: String)] {
        checks.map { ($0.check, $0.ok, $0.detail) }
    }

    /// true when every required check passes.
    public var productionReady: Bool { checks.allSatisfy { $0.ok || !$0.required } }

    /// Inspects the running kernel and process. `argon2Concurrency` and `cacheKiB` feed the
    /// memory-lock number (see `MemoryBudget`); `landlockRequired` is false where the configuration
    /// allows serving without Landlock (`serve` refuses otherwise, so `doctor` must too).
    /// `storageBytes` is what a vault in memory adds to the lock (`storage = memory`), else 0.
    public static func current(argon2Concurrency: Int, cacheKiB: Int, landlockRequired: Bool = true, storageBytes: Int = 0) -> SystemInspection {
        var checks: [Check] = []
        let status = ProcessStatus.current()
        let isRoot = geteuid() == 0

        // seccomp
        let actions = readTextFile("/proc/sys/kernel/seccomp/actions_avail")?.split(separator: "\n").first.map(String.init)
        let mode = ashlink_prctl_get_seccomp()
        if let actions, actions.split(separator: " ").contains("kill_process") {
            checks.append(Check(check: "seccomp", ok: true,
                                detail: "filters with kill_process available; this process: mode \(mode)", required: true))
        } else {
            checks.append(Check(check: "seccomp", ok: false,
                                detail: "kernel lacks seccomp filters with kill_process (needs Linux 4.14+ with CONFIG_SECCOMP_FILTER)",
                                required: true))
        }

        // Landlock
        switch Landlock.abiVersion() {
        case .success(let abi):
            checks.append(Check(check: "landlock", ok: true,
                                detail: "ABI \(abi): file access limited to the data directory and read-only runtime paths",
                                required: landlockRequired))
        case .failure(let why):
            let consequence = landlockRequired
                ? "serve refuses to start; set allow_without_landlock = true to serve without it"
                : "allowed by allow_without_landlock = true: file access is limited by seccomp and file permissions only"
            checks.append(Check(check: "landlock", ok: false, detail: "not available: \(why.reason); \(consequence)",
                                required: landlockRequired))
        }

        // memory locking
        let need = MemoryBudget.recommendedLockLimit(argon2Concurrency: argon2Concurrency, cacheKiB: cacheKiB) + storageBytes
        let limit = Confinement.currentLockLimit()
        let bit = UInt64(1) << UInt64(ProcessStatus.capIPCLock)
        let capEff = status.effectiveCapabilities & bit != 0
        let capAmb = status.ambientCapabilities & bit != 0
        let capBnd = status.boundingCapabilities & bit != 0
        func show(_ v: UInt64) -> String { v == UInt64.max ? "unlimited" : mebibytes(Int(clamping: v)) }
        let limitText = "RLIMIT_MEMLOCK soft \(show(limit.soft)), hard \(show(limit.hard)); needed \(mebibytes(need))"
        if capEff || isRoot {
            checks.append(Check(check: "memory lock", ok: true,
                                detail: "\(limitText); CAP_IPC_LOCK held, so the limit does not apply", required: true))
        } else if limit.soft >= UInt64(need) {
            checks.append(Check(check: "memory lock", ok: true, detail: limitText, required: true))
        } else {
            checks.append(Check(check: "memory lock", ok: false,
                                detail: "\(limitText): grant AmbientCapabilities=CAP_IPC_LOCK or set "
                                    + (storageBytes == 0
                                        ? MemoryBudget.systemdSetting(argon2Concurrency: argon2Concurrency, cacheKiB: cacheKiB)
                                        : "LimitMEMLOCK=\((need + (1 << 20) - 1) >> 20)M"),
                                required: true))
        }
        checks.append(Check(check: "CAP_IPC_LOCK", ok: capEff || capAmb || isRoot,
                            detail: "effective \(capEff ? "yes" : "no"), ambient \(capAmb ? "yes" : "no"), bounding \(capBnd ? "yes" : "no")",
                            required: false))

        // who we are
        if isRoot {
            checks.append(Check(check: "user", ok: true,
                                detail: "running as root: serve drops to the configured user= after binding and refuses without one",
                                required: false))
        } else {
            checks.append(Check(check: "user", ok: true, detail: "running unprivileged as uid \(getuid()) gid \(getgid())",
                                required: false))
        }
        return SystemInspection(checks: checks)
    }
}
