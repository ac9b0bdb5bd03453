import Glibc

/// How much memory this process may keep locked, for a configuration that keeps data there
/// (`storage = memory`) to be checked against before anything is opened.
///
/// Without CAP_IPC_LOCK the kernel's RLIMIT_MEMLOCK is the budget, charged by virtual size as
/// ``MemoryBudget`` explains. With it (root included) no limit applies, but locked pages can
/// never be reclaimed: the budget is then half of the machine's memory, leaving the other half
/// to tor, the kernel and the page cache.
public struct LockBudget: Sendable, CustomStringConvertible {
    public let bytes: Int
    /// Whether RLIMIT_MEMLOCK sets it (and so the whole server's lock counts against it), or the
    /// machine's memory does (and only what the data itself takes).
    public let fromLimit: Bool

    public init(bytes: Int, fromLimit: Bool) {
        self.bytes = bytes
        self.fromLimit = fromLimit
    }

    public static func current() -> LockBudget {
        let limit = Confinement.currentLockLimit().soft
        if geteuid() != 0 && !Confinement.hasEffectiveCapability(ProcessStatus.capIPCLock) {
            return LockBudget(bytes: Int(clamping: limit), fromLimit: true)
        }
        return LockBudget(bytes: physicalMemoryBytes() / 2, fromLimit: false)
    }

    public var description: String {
        fromLimit
            ? "RLIMIT_MEMLOCK allows \(mebibytes(bytes))"
            : "half of this machine's memory is \(mebibytes(bytes)) (CAP_IPC_LOCK lifts RLIMIT_MEMLOCK)"
    }

    /// `MemTotal` of /proc/meminfo, in bytes; 0 where it cannot be read, which refuses.
    static func physicalMemoryBytes() -> Int {
        guard let meminfo = readTextFile("/proc/meminfo"), let field = statusField("MemTotal", in: meminfo),
              let kibibytes = Int(field.split(separator: " ").first ?? "") else { return 0 }
        return kibibytes * 1024
    }
}
