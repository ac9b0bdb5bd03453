import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import Vault
#if canImport(Glibc)
import Glibc
#endif

/// `ashlink serve`: configuration → process restrictions → vault → listener → serve.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the pages and the API.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.load()
        let logger = Self.bootstrapLogging()

        do {
            try DataDirectory.prepare(configuration.dataDirectory)
            if case .unix(let path) = configuration.listen { try UnixSocketFile.removeStale(at: path) }
        } catch {
            Terminal.fail("\(error)")
        }
        let vault: Vault
        do {
            vault = try Vault(configuration: configuration.vault)
        } catch {
            Terminal.fail("cannot open the vault in \(configuration.dataDirectory): \(error)")
        }

        let application = ApplianceServer.application(
            configuration: configuration, vault: vault, logger: logger
        ) { _ in
            if case .unix(let path) = configuration.listen, chmod(path, mode_t(configuration.socketMode)) != 0 {
                Terminal.fail("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
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
