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
        do throws(TextFileError) {
            try FileOutput.writeAll(contents, to: descriptor)
            guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else {
                throw TextFileError(description: String(cString: strerror(errno)))
            }
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        close(descriptor)
        try FileOutput.syncFolder(path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ".")
    }
}
