import Glibc

/// The service account to drop to, resolved (getpwnam/getgrnam) BEFORE confinement.
///
/// Name-service lookups may read `/etc/passwd`, talk to nscd or dlopen NSS modules; none of that is
/// possible once Landlock and seccomp are in force, so the account is resolved while the process is
/// still unconfined and only numbers are used afterwards.
public struct ServiceAccount: Sendable, Equatable {
    public let name: String
    public let uid: UInt32
    public let gid: UInt32
    /// The group's name, for log lines.
    public let groupName: String

    /// Resolves `user` and `group` (nil = the user's primary group).
    ///
    /// Throws a `HardeningError` naming the setting if either is unknown, and refuses root: dropping
    /// "to root" would silently keep every privilege.
    public init(user: String, group: String?) throws {
        guard !user.isEmpty else {
            throw HardeningError("the service user is empty: set user= to an unprivileged account such as 'ashlink'")
        }
        guard let entry = Self.lookupUser(user) else {
            throw HardeningError(
                "unknown user '\(user)': create it (e.g. `adduser --system --group \(user)`) or set user= to an existing account")
        }
        var gid = entry.gid
        var groupName = Self.lookupGroupName(gid) ?? String(gid)
        if let group {
            guard let resolved = Self.lookupGroup(group) else {
                throw HardeningError("unknown group '\(group)': create it (`addgroup --system \(group)`) or set group= to an existing group")
            }
            gid = resolved
            groupName = group
        }
        guard entry.uid != 0 else {
            throw HardeningError("refusing to run as root: user= names '\(user)' (uid 0); choose an unprivileged account")
        }
        guard gid != 0 else {
            throw HardeningError("refusing to run with group root (gid 0): set group= to an unprivileged group")
        }
        self.name = user
        self.uid = entry.uid
        self.gid = gid
        self.groupName = groupName
    }

    private static func lookupUser(_ name: String) -> (uid: UInt32, gid: UInt32)? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let rc = getpwnam_r(name, &pwd, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else { return nil }
        return (pwd.pw_uid, pwd.pw_gid)
    }

    private static func lookupGroup(_ name: String) -> UInt32? {
        var grp = group()
        var result: UnsafeMutablePointer<group>? = nil
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        let rc = getgrnam_r(name, &grp, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else { return nil }
        return grp.gr_gid
    }

    private static func lookupGroupName(_ gid: UInt32) -> String? {
        var grp = group()
        var result: UnsafeMutablePointer<group>? = nil
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        let rc = getgrgid_r(gid, &grp, &buffer, buffer.count, &result)
        guard rc == 0, result != nil, let name = grp.gr_name else { return nil }
        return String(cString: name)
    }
}
