import Age
import Hummingbird
import TipArchive
import Vault

/// A tip from the form to the vault: the form is read as it arrives, its message becomes the
/// `message.txt` of a tip archive and each file an `attachments/` member, the archive is
/// age-encrypted to the newsroom's recipients as it is written, and only ciphertext goes into
/// the vault.
///
/// Attachments arrive before their sizes are known, which their tar headers need in front of
/// them: each one is sealed as it arrives to a key of this request alone and staged in the vault
/// (``AttachmentStager``, ``Vault/TipStaging``); once the form ended, the tip is written whole
/// from the message and the staged bytes, and the staging is discarded
/// (docs/decisions/0014-streamed-attachments.md).
///
/// The plaintext exists only in this request's memory, and the copies made here are cleared
/// before it ends; it is never written anywhere. The tip counts as received only when the
/// vault's `finish` returned, that is when it is durable; on any failure before that, the
/// upload and the staging are abandoned, so a refused or interrupted tip leaves nothing behind.
struct TipIntake: Sendable {
    let vault: Vault
    let recipients: [AgeRecipient]
    let limits: TipForm.Limits

    init(vault: Vault, inbox: InboxSettings) {
        self.vault = vault
        recipients = inbox.recipients
        limits = TipForm.Limits(maxTipBytes: inbox.maxTipBytes, maxFiles: inbox.maxFiles, pace: inbox.uploadPace)
    }

    /// Reads, encrypts and stores the tip a request carries; returns once it is on disk.
    func receive(_ request: Request) async throws -> StoredTip {
        let staging = StagingSlot(vault: vault)
        var submission: TipSubmission
        do {
            submission = try await TipForm.read(
                request.body, contentType: request.headers[.contentType],
                declaredLength: request.headers[.contentLength].flatMap { Int($0) }, limits: limits,
                stage: { try await staging.append($0) })
        } catch let refusal as TipFormError {
            await staging.discard()
            throw refusal.userFacing
        } catch {
            await staging.discard()
            throw error
        }
        defer { submission.wipe() }
        do {
            try await staging.append(submission.lastSealed)
            let stored = try await store(submission, staged: staging)
            await staging.discard()
            return stored
        } catch {
            await staging.discard()
            throw error
        }
    }

    /// The tip archive, encrypted and appended to a new upload as it is made: the message, then
    /// each attachment's header with its now known size and its staged bytes.
    private func store(_ submission: TipSubmission, staged: StagingSlot) async throws -> StoredTip {
        var encryptor = try AgeEncryptor(recipients: recipients)
        var archive = TipArchiveWriter()
        let upload = try await vault.beginTip()
        do {
            try await upload.append(encryptor.header)
            if submission.message.count > 0 || submission.attachments == nil {
                var member = archive.add(file: TipArchiveWriter.messageName, contents: submission.message.bytes)
                let sealed = encryptor.consume(member)
                PlaintextBytes.wipe(&member)
                try await upload.append(sealed)
            }
            if let attachments = submission.attachments, let staging = try await staged.sealed() {
                var replay = AttachmentReplay(attachments)
                try await replay.write(from: staging, into: &archive, encryptor: &encryptor, upload: upload)
            }
            try await upload.append(encryptor.consume(archive.finish()))
            try await upload.append(encryptor.finish())
            return try await upload.finish()
        } catch {
            await upload.abandon()
            throw error
        }
    }
}
