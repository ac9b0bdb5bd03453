import Glibc

/// What `/proc/self/status` says about this process right now: the facts that show whether
/// hardening is in force.
public struct ProcessStatus: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    /// "Seccomp:" 0 = off, 1 = strict, 2 = filter.
    public var seccompMode: Int
    public var noNewPrivileges: Bool
    public var effectiveCapabilities: UInt64
    public var ambientCapabilities: UInt64
    public var boundingCapabilities: UInt64

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
            effectiveCapabilities: hex("CapEff"), ambientCapabilities: hex("CapAmb"),
            boundingCapabilities: hex("CapBnd"))
    }
}
