import Age
import NIOCore
import TipArchive

/// A tip's attachments as their bytes arrive, before their sizes are known: sealed at once, as
/// one age file, to a key made for this request and held only in its memory, so the bytes can
/// wait in the vault (``Vault/TipStaging``) until the end of the form tells each one's size,
/// which its tar header needs in front of it (docs/decisions/0014-streamed-attachments.md).
///
/// Nothing here is plaintext once it leaves: ``takeSealed()`` hands out ciphertext only. The
/// names are made safe and unique here, in the order the files came.
struct AttachmentStager {
    private let identity: AgeIdentity
    private var encryptor: AgeEncryptor
    private var names = SafeFileName.Resolver()
    private(set) var attachments: [StagedAttachments.Attachment] = []
    /// Ciphertext not yet handed out; starts with the staging file's age header.
    private var sealed: [UInt8]

    init() {
        identity = AgeIdentity.generate()
        do {
            encryptor = try AgeEncryptor(recipients: [identity.recipient])
        } catch {
            preconditionFailure("an age encryptor to one fresh recipient: \(error)")
        }
        sealed = encryptor.header
    }

    /// A new attachment starts; its bytes follow through ``append(_:)``.
    mutating func begin(submittedName: String) {
        attachments.append(.init(name: names.unique(submittedName), size: 0))
    }

    mutating func append(_ bytes: ByteBuffer) {
        precondition(!attachments.isEmpty, "attachment bytes before an attachment began")
        attachments[attachments.count - 1].size += bytes.readableBytes
        sealed += encryptor.consume(bytes.readableBytesView)
    }

    /// The ciphertext sealed since the last call, to be staged in order.
    mutating func takeSealed() -> [UInt8] {
        defer { sealed = [] }
        return sealed
    }

    /// The end of the staging file (its last ciphertext, to stage after everything taken
    /// before) and what the tip needs to read it back.
    mutating func finish() -> (lastSealed: [UInt8], staged: StagedAttachments) {
        let last = takeSealed() + encryptor.finish()
        return (last, StagedAttachments(identity: identity, attachments: attachments))
    }

    /// Clears the request's key: what was staged can no longer be read by anyone.
    func wipe() {
        identity.wipe()
    }
}

/// What a form's attachments left for the tip to be written: each one's safe name and size, in
/// order, and the key the staged bytes were sealed to.
struct StagedAttachments: Sendable {
    struct Attachment: Sendable, Equatable {
        /// Made safe by ``SafeFileName`` and unique within the tip.
        let name: String
        var size: Int
    }

    let identity: AgeIdentity
    let attachments: [Attachment]

    func wipe() {
        identity.wipe()
    }
}
