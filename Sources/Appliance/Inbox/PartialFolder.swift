import Glibc
import SmallFiles
import TipArchive

/// The hidden folder a tip is extracted into, file by file, and then either renamed into place
/// whole (every file and folder synced first) or removed with everything it holds.
struct PartialFolder {
    let root: String
    private var created: [String] = []
    private var open: Int32 = -1

    init(root: String) { self.root = root }

    /// Starts afresh: a partial folder left by an interrupted run is this command's own.
    mutating func begin() throws {
        FolderTree.remove(root)
        try makeFolder(root)
    }

    mutating func apply(_ events: [TipArchiveReader.Event]) throws {
        for event in events {
            switch event {
            case .directory(let name):
                try makeParents(of: name + "/x")
            case .file(let name, _):
                try makeParents(of: name)
                let path = root + "/" + name
                open = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
                guard open >= 0 else { throw failure("cannot create \(name)") }
                created.append(path)
            case .data(let bytes):
                try FileOutput.writeAll(bytes, to: open)
            case .endOfFile:
                let synced = fsync(open) == 0
                close(open)
                open = -1
                guard synced else { throw failure("cannot sync a file") }
            }
        }
    }

    /// Syncs every folder, renames the whole into `target`, then syncs `parent`.
    mutating func commit(as target: String, syncing parent: String) throws {
        for folder in [root] + created.filter(isFolder) {
            try FileOutput.syncFolder(folder)
        }
        guard rename(root, target) == 0 else { throw failure("cannot move the decrypted tip to \(target)") }
        created = []
        try FileOutput.syncFolder(parent)
    }

    /// Removes everything this run created, deepest first.
    mutating func discard() {
        if open >= 0 { close(open); open = -1 }
        for path in created.reversed() { discard(path: path) }
        discard(path: root)
        created = []
    }

    private func discard(path: String) {
        if unlink(path) != 0 { rmdir(path) }
    }

    private mutating func makeParents(of member: String) throws {
        var folder = root
        for component in member.split(separator: "/").dropLast() {
            folder += "/" + component
            if !isFolder(folder) {
                try makeFolder(folder)
                created.append(folder)
            }
        }
    }

    private func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o700) == 0 else { throw failure("cannot create the folder \(path)") }
    }

    private func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private func failure(_ what: String) -> TipExtraction.Failure {
        TipExtraction.Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}
