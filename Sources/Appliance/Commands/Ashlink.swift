import ArgumentParser

/// The `ashlink` command. The executable target only calls `runCommandLine()`; everything else
/// lives in this library so that tests and other tools can parse and run the same commands.
public struct Ashlink: AsyncParsableCommand {
    /// The version `ashlink --version` prints. `packaging/build-deb` refuses to package a binary
    /// whose version differs from the top of `packaging/changelog`, so this is the one place
    /// a release changes it (with a changelog entry of the same number).
    public static let version = "0.1.1"

    public static let configuration = CommandConfiguration(
        commandName: "ashlink",
        abstract: "One-time secret links and anonymous tips, served as a Tor onion service.",
        version: version,
        subcommands: [Serve.self, CheckConfig.self, Doctor.self, Stats.self, Purge.self, OnionAddress.self, Inbox.self],
        defaultSubcommand: nil)

    public init() {}

    /// The process's whole life: argument-parser's parsing and validation, then the command,
    /// with refusals in the operator's format. Help and version print as argument-parser prints
    /// them; every refusal of the command line, the configuration or start-up is one line
    /// `ashlink: <reason>` on standard error and exit status 1 (ashlink(8), EXIT STATUS).
    public static func runCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            guard let reason = Refusal.reason(for: error, command: self) else { exit(withError: error) }
            Terminal.fail(reason)
        }
    }
}
