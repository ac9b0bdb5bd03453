import ArgumentParser

/// The options every subcommand that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (key = value lines). Without it the embedded defaults apply.")
    var config: String?

    @Option(
        name: .long, help: "Listen address: 127.0.0.1:PORT, [::1]:PORT or unix:/path. Overrides the file.",
        transform: CommandLineValue.parsed { text throws(ConfigurationError) in try ListenAddress(parsing: text) })
    var listen: ListenAddress?

    @Option(name: .customLong("data-dir"), help: "Folder for the encrypted vault. Overrides the file.")
    var dataDir: String?

    func validate() throws {
        if dataDir?.isEmpty == true { throw ValidationError("--data-dir must not be empty") }
    }

    /// The validated configuration: embedded defaults, the file, then these options.
    func load() throws(ConfigurationError) -> ApplianceConfiguration {
        try ConfigurationLoader.load(file: config, listen: listen, dataDirectory: dataDir)
    }
}

/// Option values parsed by the configuration's own rules, so that a value means the same on the
/// command line as in the file. Argument-parser names the option and the value it refuses; the
/// refusal adds only why.
enum CommandLineValue {
    static func parsed<Value>(
        by parse: @escaping @Sendable (String) throws(ConfigurationError) -> Value
    ) -> @Sendable (String) throws -> Value {
        { text in
            do throws(ConfigurationError) { return try parse(text) } catch { throw ValidationError(error.reason) }
        }
    }
}
