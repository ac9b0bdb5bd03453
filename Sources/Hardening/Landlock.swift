internal import CKernelCalls
import Glibc

/// Whether Landlock confines this process's file-system access, for the start-up log and `doctor`.
public enum LandlockStatus: Sendable, Equatable, CustomStringConvertible {
    /// Enforced on every thread with this ABI version.
    case enforced(abi: Int)
    /// Not in force; the reason says why (kernel too old, disabled at boot, ...).
    case unavailable(reason: String)

    public var isEnforced: Bool {
        if case .enforced = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .enforced(let abi): return "landlock ABI \(abi)"
        case .unavailable(let reason): return "landlock off (\(reason))"
        }
    }
}

/// Landlock file-system rules: everything is denied except read-write beneath the writable paths
/// and read-only beneath the read-only paths. Execute, device nodes, FIFOs, symlinks and
/// re-parenting (`REFER`) are never granted.
enum Landlock {
    /// The kernel's Landlock ABI version, or why there is none.
    static func abiVersion() -> Result<Int, LandlockUnavailable> {
        let v = ashlink_landlock_abi_version()
        if v > 0 { return .success(Int(v)) }
        switch -v {
        case ENOSYS: return .failure(LandlockUnavailable("kernel has no Landlock (needs Linux 5.13+)"))
        case EOPNOTSUPP:
            return .failure(LandlockUnavailable("Landlock is built in but not enabled: add landlock to the lsm= boot parameter"))
        default: return .failure(LandlockUnavailable("landlock_create_ruleset failed: \(errnoText(-v))"))
        }
    }

    struct LandlockUnavailable: Error { let reason: String; init(_ r: String) { reason = r } }

    /// Builds a ruleset and returns its file descriptor (the caller enforces it on every thread and
    /// closes it). A writable path that cannot be opened is an error: the server would fail later
    /// in a confusing way. A read-only path that does not exist on this box is skipped.
    static func makeRuleset(abi: Int, writable: [String], readOnly: [String]) throws -> Int32 {
        let handled = ashlink_landlock_fs_rights_for_abi(Int32(abi))
        let fd = ashlink_landlock_create_ruleset(handled)
        guard fd >= 0 else {
            throw HardeningError("cannot create a Landlock ruleset: \(errnoText(errno))")
        }
        do {
            for path in writable {
                guard try addRule(fd, path: path, rights: ashlink_landlock_read_write_rights() & handled) else {
                    throw HardeningError("writable path \(path) does not exist: create it before starting the server")
                }
            }
            for path in readOnly where !writable.contains(path) {
                _ = try addRule(fd, path: path, rights: ashlink_landlock_read_rights() & handled)
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// false if the path does not exist.
    private static func addRule(_ ruleset: Int32, path: String, rights: UInt64) throws -> Bool {
        let target = open(path, ashlink_o_path() | O_CLOEXEC)
        guard target >= 0 else {
            if errno == ENOENT { return false }
            throw HardeningError("cannot open \(path) for a Landlock rule: \(errnoText(errno))")
        }
        defer { close(target) }
        var info = stat()
        guard fstat(target, &info) == 0 else {
            throw HardeningError("cannot stat \(path) for a Landlock rule: \(errnoText(errno))")
        }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        let allowed = isDirectory ? rights : rights & ashlink_landlock_file_rights()
        guard ashlink_landlock_add_path_rule(ruleset, target, allowed) == 0 else {
            throw HardeningError("cannot add a Landlock rule for \(path): \(errnoText(errno))")
        }
        return true
    }
}
