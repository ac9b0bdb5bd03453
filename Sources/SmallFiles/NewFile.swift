#if canImport(Glibc)
import Glibc
#endif

/// Creating a file that must not replace another and must survive a crash once written: a key
/// or a token a journalist generates. Refuses an existing path (never overwrites a key), writes
/// with the given mode, then syncs the file and its folder.
public enum NewFile {
    public static func create(_ path: String, contents: [UInt8], mode: mode_t = 0o600) throws(TextFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else {
            throw TextFileError(description: errno == EEXIST ? "already exists: refusing to overwrite it" : String(cString: strerror(errno)))
        }
        var failure: TextFileError?
        var written = 0
        while written < contents.count, failure == nil {
            let count = contents[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = TextFileError(description: String(cString: strerror(errno)))
            } else {
                written += count
            }
        }
        if failure == nil, fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 {
            failure = TextFileError(description: String(cString: strerror(errno)))
        }
        close(descriptor)
        if let failure {
            unlink(path)
            throw failure
        }
        try syncFolder(of: path)
    }

    /// A new directory entry is durable only once its folder is synced too.
    static func syncFolder(of path: String) throws(TextFileError) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let descriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TextFileError(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw TextFileError(description: String(cString: strerror(errno))) }
    }
}
