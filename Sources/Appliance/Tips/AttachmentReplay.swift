import Age
import TipArchive
import Vault

/// Writes a tip's staged attachments into its archive: each one's tar header with the size
/// recorded while it arrived, then its bytes, read back from the staging one stored chunk at a
/// time, opened with the request's key and at once re-encrypted to the newsroom.
///
/// The vault writes what was made of one staged chunk while the next is read and re-encrypted,
/// so that neither the disk nor the cipher waits for the other. The write runs as a child task awaited
/// before the next begins, so the upload still sees one call at a time, and an error is thrown
/// only once the write in flight is done.
///
/// Memory holds the staged chunk, what is being made of it and what is being written: each a
/// little over one chunk. A staged chunk is opened one age chunk (64 KiB) at a time, so its
/// plaintext and every copy made of it stay that small, and each is cleared once encrypted.
/// Staged bytes that do not match the recorded sizes (which only a fault of this process or of
/// the disk could cause) fail the tip rather than store a tar that lies.
struct AttachmentReplay {
    private let staged: StagedAttachments
    /// The next attachment whose member is to begin.
    private var next = 0
    /// Bytes still due in the open member; nil between members.
    private var remaining: Int?

    init(_ staged: StagedAttachments) {
        self.staged = staged
    }

    /// The staged bytes opened at a time: one sealed age chunk.
    private static let openedBytes = 64 * 1024 + 16

    mutating func write(
        from staging: TipStaging, into archive: inout TipArchiveWriter, encryptor: inout AgeEncryptor, upload: TipUpload
    ) async throws {
        var decryptor = AgeDecryptor(identities: [staged.identity])
        var made = try advance(&archive, &encryptor)
        var index = 0
        while true {
            // The write starts first: the next chunk is read and made while the vault writes.
            let writing = made
            async let written: Void = upload.append(writing)
            guard let chunk = try await staging.chunk(index) else {
                try await written
                made = []
                break
            }
            made = []
            made.reserveCapacity(chunk.count + chunk.count / 16)
            for start in stride(from: 0, to: chunk.count, by: Self.openedBytes) {
                var plaintext = try decryptor.consume(chunk[start..<min(start + Self.openedBytes, chunk.count)])
                defer { PlaintextBytes.wipe(&plaintext) }
                try feed(plaintext, &archive, &encryptor, into: &made)
            }
            try await written
            index += 1
        }
        var last = try decryptor.finish()
        defer { PlaintextBytes.wipe(&last) }
        try feed(last, &archive, &encryptor, into: &made)
        try await upload.append(made)
        guard remaining == nil, next == staged.attachments.count else {
            throw VaultError.storage("the staged attachments are shorter than they were when they arrived")
        }
    }

    /// Appends to `sealed` the members' bytes for `plaintext`, encrypted, with the headers and
    /// paddings around them.
    private mutating func feed(
        _ plaintext: [UInt8], _ archive: inout TipArchiveWriter, _ encryptor: inout AgeEncryptor, into sealed: inout [UInt8]
    ) throws {
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
