import Age
import Hummingbird
import TipArchive
import Vault

/// A tip from the form to the vault: the form is read as it arrives, its message becomes the
/// `message.txt` of a tip archive, the conversation's reply address its `reply-address.txt` and
/// each file an `attachments/` member, the archive is age-encrypted to the newsroom's recipients
/// as it is written, and only ciphertext goes into the vault.
///
/// Every tip belongs to a conversation: a new one, with a codename made here, or the one whose
/// codename the follow-up form carried. Its keys come from the vault's Argon2 gate; the reply
/// address travels only inside the encrypted tip, so nothing stored joins a tip to its mailbox
/// (docs/decisions/0015-conversations.md).
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

    /// What the received page tells the tipster.
    enum Conversation {
        /// A new conversation: its codename, shown once.
        case started(Codename)
        /// A follow-up in the conversation of the codename the form carried.
        case continued
    }

    /// Reads, encrypts and stores the tip a request carries; returns once it is on disk. A
    /// malformed codename, or a busy Argon2 gate, stores nothing.
    func receive(_ request: Request) async throws -> Conversation {
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
            let (codename, conversation) = try Self.conversation(of: submission)
            let keys = try await vault.conversationKeys(for: codename)
            try await staging.append(submission.lastSealed)
            _ = try await store(submission, replyAddress: ReplyAddress(keys), staged: staging)
            await staging.discard()
            return conversation
        } catch {
            await staging.discard()
            throw error
        }
    }

    /// A new conversation when the form had no `codename` field, else the one it names; a
    /// malformed codename is a 400 page that repeats no word of it.
    private static func conversation(of submission: TipSubmission) throws -> (Codename, Conversation) {
        guard let field = submission.codename else {
            let codename = Codename.generate()
            return (codename, .started(codename))
        }
        do {
            return (try Codename(parsingUTF8: field.bytes), .continued)
        } catch {
            throw TipFormError.notACodename(error).userFacing
        }
    }

    /// The tip archive, encrypted and appended to a new upload as it is made: the message, the
    /// reply address, then each attachment's header with its now known size and its staged bytes.
    private func store(_ submission: TipSubmission, replyAddress: ReplyAddress, staged: StagingSlot) async throws -> StoredTip {
        var encryptor = try AgeEncryptor(recipients: recipients)
        var archive = TipArchiveWriter()
        let upload = try await vault.beginTip()
        do {
            try await upload.append(encryptor.header)
            // Always first, empty when files alone came: every tip has it (DESIGN's tip format).
            var member = archive.add(file: TipArchiveWriter.messageName, contents: submission.message.bytes)
            let sealed = encryptor.consume(member)
            PlaintextBytes.wipe(&member)
            try await upload.append(sealed)
            var address = archive.add(file: ReplyAddress.fileName, contents: replyAddress.fileContents.utf8)
            let sealedAddress = encryptor.consume(address)
            PlaintextBytes.wipe(&address)
            try await upload.append(sealedAddress)
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
