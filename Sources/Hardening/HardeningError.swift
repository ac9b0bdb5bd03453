import Glibc

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

/// Reads a small text file (procfs/sysfs) with plain system calls. Returns nil if it cannot be read.
func readTextFile(_ path: String, limit: Int = 1 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < limit {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The value of a `Key:\tvalue` line in a /proc status file.
func statusField(_ key: String, in status: String) -> String? {
    for line in status.split(separator: "\n") {
        guard line.hasPrefix(key + ":") else { continue }
        return line.dropFirst(key.count + 1).trimmingWhitespace()
    }
    return nil
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s.removeLast() }
        return String(s)
    }
}

/// Formats a byte count for operators: "1024 MiB".
func mebibytes(_ bytes: Int) -> String {
    "\((bytes >> 20) + (bytes & ((1 << 20) - 1) != 0 ? 1 : 0)) MiB"
}
