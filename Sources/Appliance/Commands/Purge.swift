import ArgumentParser
import Vault

/// `ashlink purge`: deletes what has expired, or everything, while no server runs. It takes the
/// data directory's lock (``DataDirectoryLock``) first: the server keeps the quota's totals in
/// memory, and rows deleted under it would leave them wrong.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete what has expired (--expired) or every secret, receipt, tip and reply (--all --yes-delete-everything); refused while the server runs.")

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Delete only what has expired: secrets, receipts and replies past their time.")
    var expired = false

    @Flag(help: "Delete every secret, receipt, tip and reply. Needs --yes-delete-everything.")
    var all = false

    @Flag(name: .customLong("yes-delete-everything"), help: "Confirm --all.")
    var confirmed = false

    func validate() throws {
        guard expired != all else { throw ValidationError("purge needs one of --expired and --all") }
        if all, !confirmed {
            throw ValidationError("--all deletes every secret, receipt, tip and reply for good; add --yes-delete-everything to confirm")
        }
        if confirmed, !all { throw ValidationError("--yes-delete-everything confirms --all, and nothing else") }
    }

    func run() async throws {
        let configuration = try options.load()
        let directory = configuration.dataDirectory
        try DataDirectory.requireVault(configuration.vault)
        guard try DataDirectoryLock.takeForLife(in: directory) else {
            throw Refusal("the server is running (a process holds \(directory)/\(DataDirectoryLock.fileName)); stop it first")
        }
        let vault: Vault
        do {
            vault = try Vault(configuration: configuration.vault)
        } catch {
            throw Refusal("cannot open the vault in \(directory): \(error)")
        }
        let before = vault.census
        if all {
            try await vault.purgeEverything()
        } else {
            try await vault.sweep()
        }
        let after = vault.census
        print("deleted \(before.storage.secrets - after.storage.secrets) secrets, \(before.storage.receipts - after.storage.receipts) receipts, "
            + "\(before.tips - after.tips) tips and \(before.replies - after.replies) replies")
    }
}
