import Vault

/// The staging of one request's attachments, begun only when their first ciphertext comes, so
/// that a tip without files stages nothing. One request's, used by its task alone.
final class StagingSlot {
    private let vault: Vault
    private var staging: TipStaging?

    init(vault: Vault) {
        self.vault = vault
    }

    /// Stages `sealed` after everything before; throws ``VaultError/inboxFull`` past the quota.
    func append(_ sealed: [UInt8]) async throws {
        guard !sealed.isEmpty else { return }
        if staging == nil { staging = try await vault.beginStaging() }
        try await staging?.append(sealed)
    }

    /// Everything staged, readable back; nil when nothing was.
    func sealed() async throws -> TipStaging? {
        try await staging?.seal()
        return staging
    }

    /// Deletes what was staged; the request is over with it whatever its outcome.
    func discard() async {
        await staging?.discard()
        staging = nil
    }
}
