#if canImport(Glibc)
import Glibc
#endif

/// A start-up problem with a file system path, phrased for the operator.
struct PathError: Error, CustomStringConvertible {
    let description: String
}

/// The data folder: created owner-only if missing, and refused if others can write to it.
enum DataDirectory {
    static func prepare(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw PathError(description: "cannot create the data directory \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw PathError(description: "the data directory \(path) is not a directory")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw PathError(description: "the data directory \(path) is writable by others: chmod 700 it")
        }
    }
}

/// A Unix socket path left behind by a server that did not stop cleanly would make bind fail.
enum UnixSocketFile {
    static func removeStale(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw PathError(description: "\(path) exists and is not a socket: refusing to replace it")
        }
        if unlink(path) != 0 {
            throw PathError(description: "cannot remove the stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }
}
