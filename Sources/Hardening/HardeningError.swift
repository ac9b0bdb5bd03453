import Glibc
import SmallFiles

/// A one-line, operator-facing reason that names the fix.
///
/// Hardening failures happen at start-up, before anything is served; the operator reads them in the
/// journal. So every message says what is wrong *and* which setting changes it, in one line.
public struct HardeningError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// `strerror` text for an errno value, e.g. "Operation not permitted (EPERM 1)".
func errnoText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    return "\(text) (errno \(code))"
}

/// A small kernel file (procfs, sysfs), or nil if it cannot be read (a thread that has exited).
func readTextFile(_ path: String) -> String? { try? TextFile.read(path) }

/// The value of a `Key:\tvalue` line in a /proc status file.
func statusField(_ key: String, in status: String) -> String? {
    // On the bytes: start-up reads every thread's status several times, and splitting by
    // Character cost more than the reading.
    let prefix = Array((key + ":").utf8)
    for line in status.utf8.split(separator: UInt8(ascii: "\n")) where line.starts(with: prefix) {
        return String(Substring(line.dropFirst(prefix.count)).trimmingWhitespace())
    }
    return nil
}

/// Formats a byte count for operators: "1024 MiB".
func mebibytes(_ bytes: Int) -> String {
    "\((bytes >> 20) + (bytes & ((1 << 20) - 1) != 0 ? 1 : 0)) MiB"
}
