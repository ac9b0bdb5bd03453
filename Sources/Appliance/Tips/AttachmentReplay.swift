import Age
import TipArchive
import Vault

/// Writes a tip's staged attachments into its archive: each one's tar header with the size
/// recorded while it arrived, then its bytes, read back from the staging one stored chunk at a
/// time, opened with the request's key and at once re-encrypted to the newsroom.
///
/// Memory holds one staged chunk and its plaintext at a time, and each plaintext piece made
/// here is cleared once encrypted. Staged bytes that do not match the recorded sizes (which
/// only a fault of this process or of the disk could cause) fail the tip rather than store a
/// tar that lies.
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
        try await upload.append(try advance(&archive, &encryptor))
        var index = 0
        while let chunk = try await staging.chunk(index) {
            var plaintext = try decryptor.consume(chunk)
            defer { PlaintextBytes.wipe(&plaintext) }
            try await upload.append(try feed(plaintext, &archive, &encryptor))
            index += 1
        }
        var last = try decryptor.finish()
        defer { PlaintextBytes.wipe(&last) }
        try await upload.append(try feed(last, &archive, &encryptor))
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
