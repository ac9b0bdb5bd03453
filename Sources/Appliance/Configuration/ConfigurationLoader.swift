#if canImport(Glibc)
import Glibc
#endif

/// Builds the configuration in one order, always: embedded defaults, then the file, then the
/// command-line options, then the cross-field checks.
enum ConfigurationLoader {
    static func load(file: String?, listen: ListenAddress?, dataDirectory: String?) throws(ConfigurationError) -> ApplianceConfiguration {
        var configuration = ApplianceConfiguration()
        if let file {
            try ConfigFile.parse(try readTextFile(file), file: file, into: &configuration)
        }
        if let listen { configuration.listen = listen }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        return try configuration.validated()
    }

    static let maximumFileSize = 1 << 20

    /// Reads one of the operator's text files (the configuration, a torrc, tor's `hostname`):
    /// whole, as UTF-8, at most `maximumFileSize` bytes, with the reason when it cannot.
    /// The only file reader of the Appliance module.
    static func readTextFile(_ path: String) throws(ConfigurationError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(file: path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                // A signal (a terminal resize, systemd's reload) interrupts the read, not the file.
                if errno == EINTR { continue }
                throw .unreadable(file: path, String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumFileSize else {
                throw .unreadable(file: path, "larger than \(maximumFileSize >> 20) MiB: not a configuration file")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: path, "not valid UTF-8 text")
        }
        return text
    }
}
