import Age
import Hummingbird
import TipArchive
import Vault

/// A tip from the form to the vault: the form is read as it arrives, its message becomes the
/// `message.txt` of a tip archive, the archive is age-encrypted to the newsroom's recipients as
/// it is written, and only ciphertext goes into the vault.
///
/// The plaintext exists only in this request's memory, and the copies made here are cleared
/// before it ends; it is never written anywhere. The tip counts as received only when the
/// vault's `finish` returned, that is when it is durable; on any failure before that, the
/// upload is abandoned, so a refused or interrupted tip leaves nothing behind.
struct TipIntake: Sendable {
    let vault: Vault
    let recipients: [AgeRecipient]
    let limits: TipForm.Limits

    init(vault: Vault, inbox: InboxSettings) {
        self.vault = vault
        recipients = inbox.recipients
        limits = TipForm.Limits(maxTipBytes: inbox.maxTipBytes)
    }

    /// Reads, encrypts and stores the tip a request carries; returns once it is on disk.
    func receive(_ request: Request) async throws -> StoredTip {
        var submission: TipSubmission
        do {
            submission = try await TipForm.read(
                request.body, contentType: request.headers[.contentType],
                declaredLength: request.headers[.contentLength].flatMap { Int($0) }, limits: limits)
        } catch let refusal as TipFormError {
            throw refusal.userFacing
        }
        defer { submission.wipe() }
        return try await store(submission.message)
    }

    /// The tip archive of `message`, encrypted and appended to a new upload as it is made.
    private func store(_ message: PlaintextBytes) async throws -> StoredTip {
        var encryptor = try AgeEncryptor(recipients: recipients)
        var archive = TipArchiveWriter()
        let upload = try await vault.beginTip()
        do {
            try await upload.append(encryptor.header)
            var member = archive.add(file: TipArchiveWriter.messageName, contents: message.bytes)
            let sealed = encryptor.consume(member)
            PlaintextBytes.wipe(&member)
            try await upload.append(sealed)
            try await upload.append(encryptor.consume(archive.finish()))
            try await upload.append(encryptor.finish())
            return try await upload.finish()
        } catch {
            await upload.abandon()
            throw error
        }
    }
}
