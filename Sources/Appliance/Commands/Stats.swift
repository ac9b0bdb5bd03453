import ArgumentParser
import Vault

/// `ashlink stats`: what the vault holds, in aggregate counts only. It reads the database
/// without writing to it, as one more WAL reader, so it works while the server runs.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what the vault holds, in counts only (no row, no time); works while the server runs.")

    @OptionGroup var options: ConfigurationOptions

    func run() throws {
        let configuration = try options.load()
        try DataDirectory.requireVault(configuration.vault)
        let census: VaultCensus
        do {
            census = try VaultCensus.read(configuration.vault)
        } catch {
            throw Refusal("cannot read the vault in \(configuration.dataDirectory): \(error)")
        }
        print(StatsReport.lines(census, limits: configuration.vault).joined(separator: "\n"))
    }
}

/// The lines `ashlink stats` prints: one aggregate per line, `name  value`, each bounded by its
/// configured limit. Nothing about any one row, and no time.
enum StatsReport {
    static func lines(_ census: VaultCensus, limits: VaultConfiguration) -> [String] {
        let storage = census.storage
        let rows: [(String, String)] = [
            ("secrets", "\(storage.secrets) of \(limits.maxSecrets)"),
            ("secret_bytes", "\(storage.secretBytes) of \(limits.maxStoredBytes)"),
            ("receipts", "\(storage.receipts) of \(limits.receiptLimit)"),
            ("budget_used", "\(percent(storage.budgetUsedPercent)) of \(limits.maxStoredBytes) bytes for \(limits.storageBudgetHours) h"),
            ("tips", "\(census.tips) of \(limits.maxTips)"),
            ("tip_bytes", "\(census.tipBytes) of \(limits.maxStoredTipBytes)"),
            ("replies", "\(census.replies)"),
            ("reply_bytes", "\(census.replyBytes) of \(limits.maxStoredReplyBytes)"),
        ]
        return rows.map { name, value in name + String(repeating: " ", count: 14 - name.count) + value }
    }

    /// One decimal, rounded down: a budget in use never reads as less full than it is by more than 0.1.
    static func percent(_ value: Double) -> String {
        let tenths = Int(value * 10)
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
