extension Vault {
    /// Starts a staging upload: bytes a request stores while it cannot yet write them in their
    /// final place, and reads back before the request ends (a tip's attachments, whose sizes the
    /// tar headers in front of them need; see docs/decisions/0014-streamed-attachments.md).
    ///
    /// It is stored as an upload that is never finished, so it is never listed or read as a tip,
    /// and whatever a crash leaves of it is deleted at the next open with every other unfinished
    /// upload. Its bytes count in `maxStoredTipBytes`, because they take that room on disk; it
    /// takes no tip of `maxTips`, because it never becomes one.
    public func beginStaging() async throws -> TipStaging {
        let id = TipID.random()
        try await storeWrite { try TipTable.insertUnfinished(id, in: $0) }
        return TipStaging(upload: TipUpload(id: id, vault: self, holdsTip: false), vault: self)
    }
}

/// Bytes staged for the length of one request: appended, then read back chunk by chunk once
/// ``seal()`` was called, then discarded. Memory holds at most one chunk of them.
///
/// The caller stores only ciphertext here (this type neither knows nor checks it). A staging
/// upload that is dropped without ``discard()`` is deleted like a dropped ``TipUpload``.
public final class TipStaging: Sendable {
    private let upload: TipUpload
    private let vault: Vault

    init(upload: TipUpload, vault: Vault) {
        self.upload = upload
        self.vault = vault
    }

    /// Throws ``VaultError/inboxFull`` when the bytes would take the inbox past its quota.
    public func append(_ bytes: [UInt8]) async throws {
        try await upload.append(bytes)
    }

    /// Writes what is still buffered; after it, nothing more may be appended.
    public func seal() async throws {
        try await upload.flush()
    }

    /// The staged chunk at `index` (from 0), once sealed; nil after the last one.
    public func chunk(_ index: Int) async throws -> [UInt8]? {
        guard index >= 0 else { return nil }
        let id = upload.id
        return try await vault.storeRun { try TipTable.chunk(id, sequence: Int64(index), in: $0) }
    }

    /// Deletes every staged byte and gives the room back.
    public func discard() async {
        await upload.abandon()
    }
}
