import Hardening

extension DoctorChecks {
    /// What the configured `storage` keeps where, and for a vault on disk its folder's checks;
    /// for one in memory, whether its quotas fit in what `serve` may lock (it refuses otherwise).
    static func storage(_ configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        let directory = configuration.dataDirectory
        switch configuration.vault.durability {
        case .durable:
            report.add("storage", ok: true,
                       "durable: the database on disk in \(directory), synced before each create is answered; kept across restarts",
                       required: false)
            dataDirectory(configuration, into: &report)
        case .ephemeral:
            report.add("storage", ok: true,
                       "ephemeral: the database on tmpfs in \(directory), never synced; lost at reboot, and its pages can be swapped out"
                           + " (storage = memory keeps them in locked memory)",
                       required: false)
            dataDirectory(configuration, into: &report)
        case .memory:
            let refusal = MemoryStorageBudget.refusal(configuration)
            report.add("storage", ok: refusal == nil,
                       "memory: the database in the server's locked memory, never in a file or in swap; lost at every restart; "
                           + (refusal ?? "\(MemoryStorageBudget.summary(configuration)); \(LockBudget.current())"),
                       required: true)
            report.add("data directory", ok: true, "not used: storage = memory writes no file", required: false)
        }
    }
}
