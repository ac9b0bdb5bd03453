#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// An unnamed file in the data directory (`O_TMPFILE`), written at its end and read back at
/// any offset: where a ``TipStaging`` keeps its bytes for the length of one request.
///
/// The file has no name from the first moment to the last: nothing can open it but this
/// descriptor, and the kernel frees it when the descriptor is closed, by ``close()`` or by the
/// process dying in any way. So a crash leaves nothing to clean up at the next open, and a
/// staging costs no SQLite work at all (no WAL, no checkpoint, no `secure_delete`).
///
/// Every call runs on the file's own serial queue, off the caller's thread, as the store's
/// SQLite work does: the descriptor is only touched there, so a read, a write and the close
/// never overlap, and blocking disk I/O stays off the cooperative thread pool.
final class StagingFile: @unchecked Sendable {
    /// Only touched on `queue`; -1 once closed.
    private var descriptor: Int32
    private let queue = DispatchQueue(label: "ashlink.vault.staging")

    /// `O_TMPFILE` is a GNU extension that the C library's module does not export: it is
    /// `__O_TMPFILE | O_DIRECTORY`, `__O_TMPFILE` being 020000000 on every architecture this
    /// runs on (all but alpha, parisc and sparc).
    static let unnamedFileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Opens a new unnamed file in `directory`, readable and writable by this process only.
    init(directory: String) throws(VaultError) {
        let opened = open(directory, Self.unnamedFileFlag | O_RDWR | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            let code = errno
            if code == EOPNOTSUPP || code == EISDIR {
                throw .storage("the data directory's file system cannot hold unnamed files (O_TMPFILE), which tip attachments need")
            }
            throw Self.failure(code, "cannot create the staging file")
        }
        descriptor = opened
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Writes all of `bytes` at `offset`; a full file system is ``VaultError/diskFull``.
    func write(_ bytes: [UInt8], at offset: Int) async throws {
        try await onQueue { () throws(VaultError) in
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { whole in
                    pwrite(self.descriptor, whole.baseAddress! + written, whole.count - written, off_t(offset + written))
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure(errno, "cannot write the staging file")
                }
                written += count
            }
        }
    }

    /// The `count` bytes at `offset`, all of which were written before.
    func read(count: Int, at offset: Int) async throws -> [UInt8] {
        try await onQueue { () throws(VaultError) in
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = bytes.withUnsafeMutableBytes { whole in
                    pread(self.descriptor, whole.baseAddress! + done, whole.count - done, off_t(offset + done))
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure(errno, "cannot read the staging file")
                }
                guard got > 0 else { throw VaultError.storage("the staging file is shorter than what was written to it") }
                done += got
            }
            return bytes
        }
    }

    /// Closes the file: the kernel frees its blocks, and nothing can read them any more.
    func close() async {
        await withCheckedContinuation { continuation in
            queue.async {
                if self.descriptor >= 0 { Glibc.close(self.descriptor) }
                self.descriptor = -1
                continuation.resume()
            }
        }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws(VaultError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                guard self.descriptor >= 0 else {
                    return continuation.resume(throwing: VaultError.storage("the staging file was used after it was closed"))
                }
                continuation.resume(with: Result { () throws(VaultError) in try body() })
            }
        }
    }

    /// A full file system (or a full disk quota) is the vault's "disk full", as SQLite's
    /// `SQLITE_FULL` is: the same clear answer to the tipster, whichever write found it.
    static func failure(_ code: Int32, _ what: String) -> VaultError {
        if code == ENOSPC || code == EDQUOT { return .diskFull }
        return .storage("\(what): \(String(cString: strerror(code)))")
    }
}
