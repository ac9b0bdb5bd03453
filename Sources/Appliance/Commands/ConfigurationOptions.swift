import ArgumentParser

/// The options every subcommand that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (key = value lines). Without it the embedded defaults apply.")
    var config: String?

    @Option(name: .long, help: "Listen address: 127.0.0.1:PORT, [::1]:PORT or unix:/path. Overrides the file.")
    var listen: String?

    @Option(name: .customLong("data-dir"), help: "Folder for the encrypted vault. Overrides the file.")
    var dataDir: String?

    /// The validated configuration, or a one-line reason on standard error and exit status 1.
    func load() throws -> ApplianceConfiguration {
        do {
            return try ConfigurationLoader.load(file: config, listen: listen, dataDirectory: dataDir)
        } catch {
            Terminal.fail("configuration: \(error)")
        }
    }
}
