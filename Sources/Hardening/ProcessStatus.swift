internal import CSeccomp
import Glibc

/// What `/proc/self/status` and prctl say about this process right now: the facts an operator
/// (and the end-to-end tests) check to see that hardening is in force.
public struct ProcessStatus: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    /// "Seccomp:" 0 = off, 1 = strict, 2 = filter.
    public var seccompMode: Int
    public var noNewPrivileges: Bool
    /// PR_GET_DUMPABLE: 0 means no core dump and no ptrace by the same user.
    public var dumpable: Bool
    /// Locked memory, KiB ("VmLck").
    public var lockedKiB: Int
    public var effectiveCapabilities: UInt64
    public var permittedCapabilities: UInt64
    public var ambientCapabilities: UInt64
    public var boundingCapabilities: UInt64
    /// Threads in the process.
    public var threads: Int

    /// CAP_IPC_LOCK's bit number.
    public static let capIPCLock = 14

    public static func current() -> ProcessStatus {
        let status = readTextFile("/proc/self/status") ?? ""
        func number(_ key: String) -> Int { Int(statusField(key, in: status)?.split(separator: " ").first ?? "") ?? 0 }
        func firstID(_ key: String) -> UInt32 {
            UInt32(statusField(key, in: status)?.split(separator: "\t").first ?? "") ?? UInt32.max
        }
        func hex(_ key: String) -> UInt64 { UInt64(statusField(key, in: status) ?? "", radix: 16) ?? 0 }
        return ProcessStatus(
            uid: firstID("Uid"), gid: firstID("Gid"),
            seccompMode: number("Seccomp"), noNewPrivileges: number("NoNewPrivs") == 1,
            dumpable: ashlink_prctl_get_dumpable() != 0, lockedKiB: number("VmLck"),
            effectiveCapabilities: hex("CapEff"), permittedCapabilities: hex("CapPrm"),
            ambientCapabilities: hex("CapAmb"), boundingCapabilities: hex("CapBnd"),
            threads: number("Threads"))
    }

    /// One line for the start-up log: "seccomp=2 no_new_privs=1 dumpable=0 VmLck=123456 kB ...".
    public var summary: String {
        "uid=\(uid) gid=\(gid) seccomp=\(seccompMode) no_new_privs=\(noNewPrivileges ? 1 : 0) "
            + "dumpable=\(dumpable ? 1 : 0) VmLck=\(lockedKiB) kB CapEff=\(String(effectiveCapabilities, radix: 16)) threads=\(threads)"
    }
}
