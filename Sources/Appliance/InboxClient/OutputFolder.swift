#if canImport(Glibc)
import Glibc
#endif

/// `--output DIR` of `inbox fetch`, held for the whole run: an existing folder, locked (flock)
/// so that two fetches into the same folder cannot remove each other's partial downloads or
/// rename over each other's tips. The lock goes with the process, however it ends.
struct OutputFolder: ~Copyable {
    /// As given, without trailing slashes, so that the paths printed read `DIR/<id>.age`.
    let path: String
    private let descriptor: Int32

    init(_ given: String) throws(InboxClientError) {
        var path = given
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        self.path = path
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InboxClientError("\(given): \(String(cString: strerror(errno))) (the output folder must exist)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw InboxClientError(busy ? "another inbox fetch is writing into \(given)" : "\(given): cannot lock it: \(reason)")
        }
    }

    deinit {
        close(descriptor)
    }
}
