import ArgumentParser
import Hardening

/// `ashlink doctor`: one screen telling an operator what is and is not in force on this box.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check this box for what a production install needs; exit 1 if something required is missing.")

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "The tor configuration serving Ashlink, to check its hidden-service lines.")
    var torrc: String?

    @Option(name: .long, help: "The account tor runs as (default: from --torrc: User, or _tor-NAME for /etc/tor/instances/NAME/torrc, else debian-tor).")
    var torUser: String?

    func run() throws {
        let configuration = try options.load()
        var report = DoctorReport()
        let data = configuration.vault.durability == .memory ? "memory" : configuration.dataDirectory
        report.add("configuration", ok: true, "valid; listen \(configuration.listen), data in \(data)", required: true)
        let system = SystemInspection.current(
            argon2Concurrency: configuration.vault.argon2Concurrency, cacheKiB: configuration.vault.cacheKiB,
            landlockRequired: !configuration.allowWithoutLandlock, storageBytes: MemoryStorageBudget.storageBytes(configuration))
        report.add(contentsOf: system.checks)
        report.add("unlocked memory", ok: !configuration.allowUnlockedMemory,
                   configuration.allowUnlockedMemory ? "allow_unlocked_memory = true: development only" : "refused (memory must be locked)",
                   required: true)
        DoctorChecks.storage(configuration, into: &report)
        DoctorChecks.listener(configuration, into: &report)
        DoctorChecks.inbox(configuration, into: &report)
        CircuitSettingsSummary.check(configuration, into: &report)
        let languages = try SiteLanguages(configuration.languages)
        report.add("languages", ok: true,
                   "\(languages.offered.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")); / serves \(languages.defaultLanguage.code)",
                   required: false)
        if let torrc {
            DoctorChecks.tor(torrc, account: torUser, configuration: configuration, into: &report)
        } else {
            report.add("tor", ok: false, "not checked: pass --torrc /etc/tor/instances/ashlink/torrc", required: false)
        }
        print(report.rendered)
        if !report.productionReady { throw ExitCode.failure }
    }
}
