import ArgumentParser
import Hardening
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `ashlink serve`, in the order README's "Hardening" gives: configuration → process restrictions
/// and locked memory → vault and listeners → privilege drop, no_new_privs, Landlock and seccomp → serve.
/// All confinement happens in `Confinement`, called from exactly these two places; the second
/// runs once, when every listener (the public one, and the journalists' one if the inbox is on)
/// is bound, and before any of them answers a request.
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

        if let reason = MemoryStorageBudget.refusal(configuration) { throw Refusal(reason) }
        let memory = try Confinement.prepareProcess(
            allowUnlockedMemory: configuration.allowUnlockedMemory,
            requiredLockLimit: MemoryStorageBudget.requiredLockLimit(configuration))
        let account = try configuration.user.map { try ServiceAccount(user: $0, group: configuration.group) }
        try Confinement.checkAccount(account)
        // A vault in memory writes no file: it needs no data directory (nor its lock: `purge`
        // cannot reach a vault in memory), and Landlock grants it none.
        let onDisk = configuration.vault.durability != .memory
        if onDisk {
            try DataDirectory.prepare(configuration.dataDirectory)
            guard try DataDirectoryLock.takeForLife(in: configuration.dataDirectory) else {
                throw Refusal("another ashlink process (a server, or a purge) is using \(configuration.dataDirectory); stop it first")
            }
        }
        let inboxListen = configuration.inbox.isEnabled ? configuration.inbox.listen : nil
        let listeners = [configuration.listen] + (inboxListen.map { [$0] } ?? [])
        for case .unix(let path) in listeners { try UnixSocketFile.removeStale(at: path) }

        // The pages are translated beside the vault's opening, which mostly waits for the disk.
        let languages = try SiteLanguages(configuration.languages)
        let pagesBuilt = Task.detached { PageRenderer(languages: languages) }
        let vault: Vault
        do {
            vault = try Vault(configuration: configuration.vault)
            if onDisk, let account, geteuid() == 0 {
                try DataDirectory.handOver(configuration.dataDirectory, to: account)
            }
        } catch {
            throw Refusal("cannot open the vault \(onDisk ? "in \(configuration.dataDirectory)" : "in memory"): \(error)")
        }

        // Confinement runs once, when the last listener is bound, before either serves a request.
        let barrier = ListenerBarrier(listeners: listeners.count) {
            do {
                let report = try Confinement.confine(
                    account: account, memory: memory, writablePaths: configuration.writablePaths, readOnlyPaths: [],
                    allowWithoutLandlock: configuration.allowWithoutLandlock)
                logger.info("confined: \(memory), \(report)")
            } catch {
                // The servers are already bound: no caller is left to throw to.
                Terminal.fail("\(error)")
            }
            logger.info("serving on \(configuration.listen), \(vault.statistics.stored) secrets and \(vault.statistics.storedTips) tips stored")
            logger.info("\(InboxServer.summary(configuration.inbox))")
        }
        // Each listener's start-up callback: its socket gets tor's mode, then it waits at the barrier.
        func started(_ address: ListenAddress) -> @Sendable (any Channel) async -> Void {
            { _ in
                if case .unix(let path) = address {
                    do {
                        try UnixSocketFile.publish(path, mode: configuration.socketMode, to: account)
                    } catch {
                        Terminal.fail("\(error)")
                    }
                }
                // Abandoned (the other listener could not start): never serve, not even what waits.
                if case .refused(let reason) = await barrier.arrive() { Terminal.fail(reason) }
            }
        }

        var services: [any Service] = [
            NamedListener(key: "listen", address: configuration.listen, barrier: barrier, application: ApplianceServer.application(
                configuration: configuration, vault: vault, pages: await pagesBuilt.value, logger: logger,
                onServerRunning: started(configuration.listen))),
        ]
        if let inboxListen {
            services.append(NamedListener(key: "inbox_listen", address: inboxListen, barrier: barrier, application: InboxServer.application(
                listen: inboxListen, configuration: configuration, vault: vault, logger: logger, onServerRunning: started(inboxListen))))
        }
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
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
