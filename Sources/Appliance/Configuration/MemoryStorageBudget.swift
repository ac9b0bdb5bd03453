import Hardening
import Vault

/// `storage = memory`: the quotas decide how much memory the vault may take
/// (``MemoryFootprint``), and `serve` refuses to start when that, beside what the server itself
/// locks, does not fit in what this process may lock (``LockBudget``). `doctor` reports the same.
/// Decision: docs/decisions/0023-storage-in-memory.md.
enum MemoryStorageBudget {
    /// What the server locks for itself and, in memory, for the vault: the number that
    /// `Confinement.prepareProcess` holds RLIMIT_MEMLOCK against.
    static func requiredLockLimit(_ configuration: ApplianceConfiguration) -> Int {
        serverBytes(configuration) + storageBytes(configuration)
    }

    /// The vault's share of locked memory: nothing unless it is in memory.
    static func storageBytes(_ configuration: ApplianceConfiguration) -> Int {
        configuration.vault.durability == .memory ? configuration.vault.memoryFootprint.totalBytes : 0
    }

    /// memdb keeps the database in one allocation, which cannot reach 2 GiB: a configuration
    /// whose quotas need more is refused as it is read, wherever it is read.
    static func checkDatabaseSize(_ configuration: ApplianceConfiguration) throws(ConfigurationError) {
        let footprint = configuration.vault.memoryFootprint
        guard configuration.vault.durability == .memory, footprint.databaseBytes > MemoryFootprint.largestDatabaseBytes else { return }
        throw .inconsistent(
            "storage = memory: the quotas need a database of \(mebibytes(footprint.databaseBytes)), "
                + "more than the \(mebibytes(MemoryFootprint.largestDatabaseBytes)) an in-memory database can hold: "
                + "lower \(quotaKeys(configuration)), or choose storage = ephemeral")
    }

    /// Why `serve` must not start with this configuration in this process, in one line; nil when
    /// it fits, and always for a vault on disk.
    static func refusal(_ configuration: ApplianceConfiguration, budget: LockBudget = .current()) -> String? {
        guard configuration.vault.durability == .memory else { return nil }
        // Unlocked memory allowed (development) and no CAP_IPC_LOCK: nothing will be locked anyway.
        if budget.fromLimit && configuration.allowUnlockedMemory { return nil }
        let storage = storageBytes(configuration)
        let need = budget.fromLimit ? requiredLockLimit(configuration) : storage
        guard need > budget.bytes else { return nil }
        let parts = budget.fromLimit
            ? "\(mebibytes(storage)) for what the quotas allow, \(mebibytes(serverBytes(configuration))) for the server"
            : "for what the quotas allow"
        return "storage = memory needs \(mebibytes(need)) of locked memory (\(parts)), but \(budget): lower "
            + quotaKeys(configuration) + (budget.fromLimit ? ", raise LimitMEMLOCK (or grant CAP_IPC_LOCK)" : "")
            + ", or choose storage = ephemeral"
    }

    /// What the vault may take in memory at most, for `check-config` and `doctor`.
    static func summary(_ configuration: ApplianceConfiguration) -> String {
        let footprint = configuration.vault.memoryFootprint
        return "up to \(mebibytes(footprint.databaseBytes)) of database"
            + (footprint.stagingBytes > 0 ? " and \(mebibytes(footprint.stagingBytes)) of staged attachments" : "")
            + " in locked memory"
    }

    private static func serverBytes(_ configuration: ApplianceConfiguration) -> Int {
        MemoryBudget.recommendedLockLimit(
            argon2Concurrency: configuration.vault.argon2Concurrency, cacheKiB: configuration.vault.cacheKiB)
    }

    /// The keys whose values make the vault's memory, by the part of the service that is on.
    private static func quotaKeys(_ configuration: ApplianceConfiguration) -> String {
        var keys = ["max_stored_bytes", "max_secrets", "max_receipts"]
        if configuration.inbox.isEnabled { keys += ["inbox_max_stored_bytes", "inbox_max_tips"] }
        return keys.joined(separator: ", ")
    }

    private static func mebibytes(_ bytes: Int) -> String {
        "\((bytes + (1 << 20) - 1) >> 20) MiB"
    }
}
