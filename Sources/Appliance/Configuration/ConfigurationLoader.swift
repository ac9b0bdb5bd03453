import SmallFiles

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

    /// Reads one of the operator's text files (the configuration, a torrc, tor's `hostname`)
    /// whole, with the reason when it cannot.
    static func readTextFile(_ path: String) throws(ConfigurationError) -> String {
        do {
            return try TextFile.read(path, limit: maximumFileSize)
        } catch {
            throw .unreadable(file: path, "\(error)")
        }
    }
}
