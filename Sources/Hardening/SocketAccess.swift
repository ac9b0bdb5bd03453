internal import CKernelCalls
import Glibc

/// Whether another account — tor's — can connect to the server's Unix socket. tor keeps only its
/// primary group after dropping root, so supplementary groups are never counted.
public enum SocketAccess {
    /// Why `uid`/`gid` cannot reach `path` by the file modes (search on every folder above it,
    /// write on the socket), or nil when the modes allow it.
    public static func denial(path: String, uid: UInt32, gid: UInt32) -> String? {
        let parts = path.split(separator: "/").dropLast()
        let folders = ["/"] + parts.indices.map { "/" + parts[...$0].joined(separator: "/") }
        for folder in folders {
            if let reason = refusal(folder, uid: uid, gid: gid, needs: S_IXUSR, what: "search") { return reason }
        }
        return refusal(path, uid: uid, gid: gid, needs: S_IWUSR, what: "write")
    }

    /// A real `connect` to `path` made as `uid`/`gid` in a child process (needs root): 0 when the
    /// server accepted it, else the errno.
    public static func connect(path: String, uid: UInt32, gid: UInt32) -> Int32 {
        ashlink_connect_unix_as(path, uid, gid)
    }

    /// `needs` is the owner bit (S_IXUSR or S_IWUSR); the group and other bits are derived from it.
    private static func refusal(_ path: String, uid: UInt32, gid: UInt32, needs: mode_t, what: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path): \(errnoText(errno))" }
        let granted: Bool
        if uid == 0 {
            granted = true
        } else if info.st_uid == uid {
            granted = info.st_mode & needs != 0
        } else if info.st_gid == gid {
            granted = info.st_mode & (needs >> 3) != 0
        } else {
            granted = info.st_mode & (needs >> 6) != 0
        }
        if granted { return nil }
        return "\(path) (uid \(info.st_uid) gid \(info.st_gid) mode \(String(info.st_mode & 0o7777, radix: 8))) gives uid \(uid) gid \(gid) no \(what) permission"
    }
}
