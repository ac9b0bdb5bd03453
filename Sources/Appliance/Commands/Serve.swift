import ArgumentParser
import Hardening
import Hummingbird
import Logging
import NIOCore
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `ashlink serve`, in the order README's "Hardening" gives: configuration → process restrictions
/// and locked memory → vault and listener → privilege drop, no_new_privs, Landlock and seccomp → serve.
/// All confinement happens in `Confinement`, called from exactly these two places.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the pages and the API.")

    @OptionGroup var options: ConfigurationOptions

    @Option(
        name: .long, help: "Account to drop to when started as root. Overrides `user` in the file.",
        transform: CommandLineValue.parsed { text throws(ConfigurationError) in try ConfigFile.accountName("--user", text) })
    var user: String?

    func run() async throws {
        var loaded = try options.load()
        if let user { loaded.user = user }
        let configuration = loaded
        let logger = Self.bootstrapLogging()

        let memory = try Confinement.prepareProcess(
            allowUnlockedMemory: configuration.allowUnlockedMemory,
            requiredLockLimit: MemoryBudget.recommendedLockLimit(
                argon2Concurrency: configuration.vault.argon2Concurrency, cacheKiB: configuration.vault.cacheKiB))
        let account = try configuration.user.map { try ServiceAccount(user: $0, group: configuration.group) }
        try Confinement.checkAccount(account)
        try DataDirectory.prepare(configuration.dataDirectory)
        if case .unix(let path) = configuration.listen { try UnixSocketFile.removeStale(at: path) }

        let vault: Vault
        do {
            vault = try Vault(configuration: configuration.vault)
            if let account, geteuid() == 0 {
                try DataDirectory.handOver(configuration.dataDirectory, to: account)
            }
        } catch {
            throw Refusal("cannot open the vault in \(configuration.dataDirectory): \(error)")
        }

        let application = ApplianceServer.application(
            configuration: configuration, vault: vault, logger: logger
        ) { _ in
            do {
                if case .unix(let path) = configuration.listen {
                    try UnixSocketFile.publish(path, mode: configuration.socketMode, to: account)
                }
                let report = try Confinement.confine(
                    account: account, writablePaths: configuration.writablePaths, readOnlyPaths: [],
                    allowWithoutLandlock: configuration.allowWithoutLandlock)
                logger.info("confined: \(memory), \(report)")
            } catch {
                // The server is already running: no caller is left to throw to.
                Terminal.fail("\(error)")
            }
            logger.info("serving on \(configuration.listen), \(vault.statistics.stored) secrets stored")
        }
        try await application.runService()
        logger.info("stopped")
    }

    /// Standard error only, info and above: the log holds start, stop, faults and counts, never requests.
    static func bootstrapLogging() -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        return Logger(label: "ashlink")
    }
}
