#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `ashlink.lock` in the data directory: the one process that writes
/// the vault holds it. `serve` takes it before the vault opens and holds it for its whole life
/// (its descriptor is never closed; the kernel lets go when the process ends, however it ends),
/// so that `purge` cannot change the rows under the server's running totals. Taken before
/// confinement, it needs no system call or Landlock rule beyond the server's (docs/decisions/0022).
enum DataDirectoryLock {
    static let fileName = "ashlink.lock"

    /// Takes the lock without waiting, until the process ends; false when another process holds
    /// it. A lock file that root creates is given to the data directory's owner, so that the
    /// service account can open it.
    static func takeForLife(in directory: String) throws -> Bool {
        let path = directory + "/" + fileName
        // Read-only is enough for flock, and opens an existing lock file on a read-only file
        // system too, so that such a folder is refused by the vault's open, with its reason.
        let descriptor = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Refusal("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        var folder = stat(), file = stat()
        if geteuid() == 0, stat(directory, &folder) == 0, fstat(descriptor, &file) == 0,
           file.st_uid != folder.st_uid || file.st_gid != folder.st_gid,
           fchown(descriptor, folder.st_uid, folder.st_gid) != 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Refusal("cannot give the lock file \(path) to the data directory's owner: \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let heldElsewhere = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            if heldElsewhere { return false }
            throw Refusal("cannot lock \(path): \(reason)")
        }
        return true
    }
}
