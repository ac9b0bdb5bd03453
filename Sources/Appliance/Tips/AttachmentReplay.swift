import Age
import TipArchive
import Vault

/// Writes a tip's staged attachments into its archive: each one's tar header with the size
/// recorded while it arrived, then its bytes, read back from the staging one stored chunk at a
/// time, opened with the request's key and at once re-encrypted to the newsroom.
///
/// Three things overlap, so that neither the disk nor the cipher waits for the other: the vault
/// writes one chunk of the tip while the next staged chunk is read and re-encrypted. Each runs
/// as a child task that is awaited before the next of its kind begins, so the upload and the
/// staging still see one call at a time, and an error is thrown only once both are done.
///
/// Memory holds a few chunks at a time (one being written, one being made, one read ahead), and
/// each plaintext piece made here is cleared once encrypted. Staged bytes that do not match the
/// recorded sizes (which only a fault of this process or of the disk could cause) fail the tip
/// rather than store a tar that lies.
struct AttachmentReplay {
    private let staged: StagedAttachments
    /// The next attachment whose member is to begin.
    private var next = 0
    /// Bytes still due in the open member; nil between members.
    private var remaining: Int?

    init(_ staged: StagedAttachments) {
        self.staged = staged
    }

    mutating func write(
        from staging: TipStaging, into archive: inout TipArchiveWriter, encryptor: inout AgeEncryptor, upload: TipUpload
    ) async throws {
        var decryptor = AgeDecryptor(identities: [staged.identity])
        var sealed = try advance(&archive, &encryptor)
        var chunk = try await staging.chunk(0)
        var index = 0
        while let current = chunk {
            let (writing, reading) = (sealed, index + 1)
            async let written: Void = upload.append(writing)
            async let following = staging.chunk(reading)
            var plaintext = try decryptor.consume(current)
            defer { PlaintextBytes.wipe(&plaintext) }
            let made = try feed(plaintext, &archive, &encryptor)
            try await written
            chunk = try await following
            sealed = made
            index += 1
        }
        var last = try decryptor.finish()
        defer { PlaintextBytes.wipe(&last) }
        try await upload.append(sealed + feed(last, &archive, &encryptor))
        guard remaining == nil, next == staged.attachments.count else {
            throw VaultError.storage("the staged attachments are shorter than they were when they arrived")
        }
    }

    /// The members' bytes for `plaintext`, encrypted, with the headers and paddings around them.
    private mutating func feed(_ plaintext: [UInt8], _ archive: inout TipArchiveWriter, _ encryptor: inout AgeEncryptor) throws -> [UInt8] {
        var sealed: [UInt8] = []
        var offset = 0
        while offset < plaintext.count {
            guard let due = remaining else {
                throw VaultError.storage("the staged attachments are longer than they were when they arrived")
            }
            let take = min(due, plaintext.count - offset)
            var piece = try archive.write(plaintext[offset..<(offset + take)])
            sealed += encryptor.consume(piece)
            PlaintextBytes.wipe(&piece)
            offset += take
            remaining = due - take
            sealed += try advance(&archive, &encryptor)
        }
        return sealed
    }

    /// Closes a member whose bytes are complete and begins the next ones, closing at once those
    /// that are empty.
    private mutating func advance(_ archive: inout TipArchiveWriter, _ encryptor: inout AgeEncryptor) throws -> [UInt8] {
        var sealed: [UInt8] = []
        while remaining == 0 || (remaining == nil && next < staged.attachments.count) {
            if remaining == 0 {
                sealed += encryptor.consume(try archive.endFile())
                remaining = nil
                continue
            }
            let attachment = staged.attachments[next]
            next += 1
            let name = TipArchiveWriter.attachmentsFolder + attachment.name
            sealed += encryptor.consume(archive.beginFile(name: name, size: attachment.size))
            remaining = attachment.size
        }
        return sealed
    }
}
