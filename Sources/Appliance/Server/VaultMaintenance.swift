import Logging
import ServiceLifecycle
import Vault

/// Sweeps expired secrets and logs aggregate counts, on timers, for as long as the server runs.
///
/// Expired secrets are already unreadable; the sweep reclaims their space (and their pages are
/// zeroed by `secure_delete`). The counts are the only thing the log ever says about traffic,
/// and only in the periodic aggregate line: a line per sweep would date expiries to the minute.
struct VaultMaintenance: Service {
    let vault: Vault
    let sweepInterval: Duration
    let statsInterval: Duration
    let logger: Logger

    func run() async throws {
        // Shutdown cancels the sleep; that is the normal way out, not a failure.
        try? await cancelWhenGracefulShutdown {
            var sinceStats = Duration.zero
            while true {
                try await Task.sleep(for: sweepInterval)
                do {
                    _ = try await vault.sweep()
                } catch {
                    logger.error("sweep failed: \(error)")
                }
                sinceStats += sweepInterval
                if sinceStats >= statsInterval {
                    sinceStats = .zero
                    logStatistics()
                }
            }
        }
    }

    func logStatistics() {
        let totals = vault.statistics
        let secrets = "stored=\(totals.stored) stored_bytes=\(totals.storedBytes) created=\(totals.created) revealed=\(totals.revealed) burned=\(totals.burned) expired=\(totals.expired) refused_full=\(totals.refusedFull) refused_busy=\(totals.refusedBusy)"
        let tips = "tips=\(totals.storedTips) tip_bytes=\(totals.storedTipBytes) tips_refused_full=\(totals.refusedInboxFull)"
        logger.info("\(secrets) \(tips)")
    }
}
