#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import SmallFiles
import Vault

/// A fetched tip's place in the output folder: `<id>.age` appears there whole or not at all.
/// The bytes go to the hidden `.<id>.age.partial` as they arrive; only a complete download is
/// synced and renamed to `<id>.age`, then the folder synced, so that after a crash at any
/// moment `<id>.age` is either absent or the whole tip, and the acknowledgement that follows
/// can never delete a tip that is not safely here.
struct TipFile {
    let folder: String
    let id: TipID

    var path: String { folder + "/" + id.text + ".age" }
    var partialPath: String { folder + "/." + id.text + ".age.partial" }

    enum State: Equatable {
        case absent
        /// The whole tip, from a run that stopped before acknowledging it.
        case complete
        /// Something else with the tip's name, which is never replaced.
        case conflicting(String)
    }

    /// Whether `<id>.age` is already here with exactly `bytes` bytes. The size is all a
    /// listing gives to compare; a file of that name only ever appears here by the rename below.
    func state(expecting bytes: Int) throws(InboxClientError) -> State {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .absent }
            throw InboxClientError("\(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .conflicting("\(path) exists and is not a file") }
        guard Int(info.st_size) == bytes else {
            return .conflicting("\(path) exists with \(info.st_size) bytes, the inbox lists \(bytes): move it away to fetch the tip again")
        }
        return .complete
    }

    /// A new partial file, replacing one an interrupted run left behind (it is this command's own).
    func beginPartial() throws(InboxClientError) -> Partial {
        unlink(partialPath)
        let descriptor = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw InboxClientError("cannot create \(partialPath): \(String(cString: strerror(errno)))") }
        return Partial(file: self, descriptor: descriptor)
    }

    /// The download in progress; `commit()` or `discard()` ends it.
    struct Partial {
        let file: TipFile
        private var descriptor: Int32

        fileprivate init(file: TipFile, descriptor: Int32) {
            self.file = file
            self.descriptor = descriptor
        }

        func write(_ bytes: ByteBuffer) throws(InboxClientError) {
            do {
                try FileOutput.writeAll(Array(bytes.readableBytesView), to: descriptor)
            } catch {
                throw InboxClientError("cannot write \(file.partialPath): \(error)")
            }
        }

        /// Synced, renamed to `<id>.age`, and the folder synced: from here on the tip is on disk.
        mutating func commit() throws(InboxClientError) {
            let synced = fsync(descriptor) == 0
            let reason = String(cString: strerror(errno))
            close(descriptor)
            descriptor = -1
            guard synced else { throw InboxClientError("cannot sync \(file.partialPath): \(reason)") }
            guard rename(file.partialPath, file.path) == 0 else {
                throw InboxClientError("cannot rename \(file.partialPath) to \(file.path): \(String(cString: strerror(errno)))")
            }
            do {
                try FileOutput.syncFolder(file.folder)
            } catch {
                throw InboxClientError("cannot sync the folder \(error)")
            }
        }

        /// Removes the partial file: an incomplete tip leaves nothing that could pass for one.
        mutating func discard() {
            if descriptor >= 0 {
                close(descriptor)
                descriptor = -1
            }
            unlink(file.partialPath)
        }
    }
}
