#if canImport(Glibc)
import Glibc
#endif

/// Builds the configuration in one order, always: embedded defaults, then the file, then the
/// command-line options, then the cross-field checks.
enum ConfigurationLoader {
    static func load(file: String?, listen: String?, dataDirectory: String?) throws(ConfigurationError) -> ApplianceConfiguration {
        var configuration = ApplianceConfiguration()
        if let file {
            try ConfigFile.parse(try readTextFile(file), file: file, into: &configuration)
        }
        if let listen {
            configuration.listen = try ListenAddress(parsing: listen)
        }
        if let dataDirectory {
            guard !dataDirectory.isEmpty else { throw .invalid("--data-dir", dataDirectory, "must not be empty") }
            configuration.dataDirectory = dataDirectory
        }
        return try configuration.validated()
    }

    static let maximumFileSize = 1 << 20

    static func readTextFile(_ path: String) throws(ConfigurationError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(file: path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 { throw .unreadable(file: path, String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumFileSize else { throw .unreadable(file: path, "larger than 1 MiB: not a configuration file") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: path, "not valid UTF-8 text")
        }
        return text
    }
}
