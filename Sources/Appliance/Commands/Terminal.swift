#if canImport(Glibc)
import Glibc
#endif

/// Operator-facing output: one line per fact, reasons on standard error.
enum Terminal {
    /// Ends the process with status 1 and the reason as one line. Reached from `Ashlink.main`,
    /// and from the one place no error can be thrown to it: confinement after the listener is
    /// bound, inside the server's start-up callback.
    static func fail(_ reason: String) -> Never {
        printError("ashlink: \(reason)")
        exit(1)
    }

    static func printError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
