import Hardening
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// The data folder: created owner-only if missing, and refused unless it is owner-only.
enum DataDirectory {
    /// The vault's folder belongs to the service account alone (mode 0700, as the package makes
    /// it): group or others with any access could at least list and copy the ciphertext. `serve`
    /// refuses, and `doctor` fails, on the same rule.
    static func isPrivate(mode: mode_t) -> Bool {
        mode & 0o077 == 0
    }

    static func prepare(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Refusal("cannot create the data directory \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Refusal("the data directory \(path) is not a directory")
        }
        guard isPrivate(mode: info.st_mode) else {
            throw Refusal("the data directory \(path) is open to group or others (mode \(String(info.st_mode & 0o7777, radix: 8))): chmod 700 it")
        }
    }
}

extension DataDirectory {
    /// Gives the folder and the vault's files to the service account before root is dropped, so
    /// that the server, and the next start, can keep using them.
    static func handOver(_ path: String, to account: ServiceAccount) throws {
        let files = [path, path + "/" + DataDirectoryLock.fileName, path + "/vault.sqlite3", path + "/vault.sqlite3-wal", path + "/vault.sqlite3-shm"]
        for file in files {
            if lchown(file, account.uid, account.gid) != 0 && errno != ENOENT {
                throw Refusal("cannot give \(file) to \(account.name): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A Unix socket path left behind by a server that did not stop cleanly would make bind fail.
enum UnixSocketFile {
    static func removeStale(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw Refusal("\(path) exists and is not a socket: refusing to replace it")
        }
        if unlink(path) != 0 {
            throw Refusal("cannot remove the stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Sets the bound socket's mode (tor's group needs read and write) and, when root is about to
    /// be dropped, its owner, so that the service account can remove it at shutdown.
    static func publish(_ path: String, mode: UInt32, to account: ServiceAccount?) throws {
        if let account, geteuid() == 0, lchown(path, account.uid, account.gid) != 0 {
            throw Refusal("cannot give the socket \(path) to \(account.name): \(String(cString: strerror(errno)))")
        }
        if chmod(path, mode_t(mode)) != 0 {
            throw Refusal("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }
}

extension DataDirectory {
    /// `stats` and `purge` work on a vault that exists: neither makes an empty one where a path is mistyped.
    static func requireVault(_ vault: VaultConfiguration) throws {
        guard vault.durability != .memory else {
            throw Refusal("storage = memory: the vault lives only in the running server's memory, out of reach of this command; a restart empties it")
        }
        guard access(vault.databasePath, F_OK) == 0 else {
            throw Refusal("no vault in \(vault.directory): \(vault.databasePath) does not exist")
        }
    }
}
