#if canImport(Glibc)
import Glibc
#endif

/// Removing a folder with everything below it, as `rm -r` does, for hidden work folders that an
/// interrupted run left half full.
public enum FolderTree {
    /// Removes `path` and everything beneath it, deepest first, never following a symbolic link
    /// (a link inside is removed, not its target). Answers whether nothing is left at `path`.
    @discardableResult
    public static func remove(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in names(in: path) ?? [] { remove(path + "/" + name) }
            return rmdir(path) == 0
        }
        return unlink(path) == 0
    }

    /// The names in a folder, without `.` and `..`, read whole; nil when it cannot be read.
    public static func names(in path: String) -> [String]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
