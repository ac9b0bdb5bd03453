import ArgumentParser

@main
struct Ashlink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ashlink",
        abstract: "One-time secret links and anonymous tips, served as a Tor onion service.",
        version: "0.1.1",
        subcommands: [Serve.self, CheckConfig.self, Doctor.self, OnionAddress.self],
        defaultSubcommand: nil)
}
