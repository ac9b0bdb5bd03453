#if canImport(Glibc)
import Glibc
#endif

/// Why a text file could not be read, in words for an operator.
public struct TextFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The one reader of small text files: the operator's (the configuration, a torrc, tor's
/// `hostname`) and the kernel's (/proc, /sys). Plain system calls, so it also works once the
/// process is confined; whole files only, at most `limit` bytes, valid UTF-8.
public enum TextFile {
    public static func read(_ path: String, limit: Int = 1 << 20) throws(TextFileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TextFileError(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                // A signal (a terminal resize, systemd's reload) interrupts the read, not the file.
                if errno == EINTR { continue }
                throw TextFileError(description: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= limit else {
                throw TextFileError(description: "larger than \(limit >> 10) KiB")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TextFileError(description: "not valid UTF-8 text")
        }
        return text
    }
}

extension StringProtocol {
    /// The text without the blanks around it: spaces, tabs and line ends (the CR of a file saved
    /// with CRLF line ends too). The configuration file, torrc and /proc fields share this rule.
    public func trimmingWhitespace() -> SubSequence {
        // "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
