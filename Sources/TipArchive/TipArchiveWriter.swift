import LengthPadding

/// Writes the plaintext of a tip as a POSIX ustar stream, member by member, so the caller can
/// feed each piece to `AgeEncryptor` as it comes and never hold a large attachment in memory.
///
/// The layout: the tip's text as `message.txt`, each attachment as `attachments/<name>` with a
/// name from `SafeFileName.Resolver`. Debian's `tar -x` extracts it; the headers carry mtime 0,
/// uid/gid 0, no user or group names and mode 0600, so nothing in them tells when the tip
/// arrived or which machine stored it. Parent folders get no entries of their own: tar creates
/// them, and an entry would only add a header to refuse or to trust.
///
/// `finish` pads the stream to a PADMÉ size class. age's overhead is a function of the plaintext
/// length alone (header, 16 bytes per 64 KiB chunk), so the stored file's length then reveals
/// only the class of the tip's size, not the size.
///
/// Names and sizes a caller passes are the caller's responsibility (`SafeFileName` makes names
/// that pass); an unsafe name or calls out of order are programming errors and stop the process.
/// Only the byte count of a streamed member depends on the tipster, and that throws.
public struct TipArchiveWriter: Sendable {
    public static let messageName = "message.txt"
    public static let attachmentsFolder = "attachments/"

    private struct OpenMember: Sendable {
        let name: String
        let size: Int
        var remaining: Int
    }

    private var length = 0
    private var open: OpenMember?
    private var finished = false

    public init() {}

    /// A whole member: its header, `contents` and the zero padding to the next block.
    public mutating func add(file name: String, contents: some Sequence<UInt8>) -> [UInt8] {
        let data = Array(contents)
        var output = beginFile(name: name, size: data.count)
        output += data
        output += zeros(TarHeader.padding(after: data.count))
        open = nil
        length += data.count + TarHeader.padding(after: data.count)
        return output
    }

    /// The header of a member whose bytes follow through `write`; `size` must be known now,
    /// because ustar puts it in front of the contents.
    public mutating func beginFile(name: String, size: Int) -> [UInt8] {
        precondition(!finished && open == nil, "beginFile after finish or inside another member")
        precondition(MemberName.isSafe(name), "not a safe member name: \(name.debugDescription)")
        guard let header = TarHeader.encode(name: name, size: size) else {
            preconditionFailure("a member name that ustar cannot hold: \(name.debugDescription)")
        }
        open = OpenMember(name: name, size: size, remaining: size)
        length += header.count
        return header
    }

    /// The next bytes of the open member, as they are; refused whole when they would exceed the
    /// size `beginFile` declared, so the archive is never left with a lying header.
    public mutating func write(_ bytes: some Sequence<UInt8>) throws(TipArchiveError) -> [UInt8] {
        guard var member = open else { preconditionFailure("write outside a member") }
        let data = Array(bytes)
        guard data.count <= member.remaining else { throw .moreBytesThanDeclared(name: member.name) }
        member.remaining -= data.count
        open = member
        length += data.count
        return data
    }

    /// The zero padding that closes the open member; refused when bytes are still missing.
    public mutating func endFile() throws(TipArchiveError) -> [UInt8] {
        guard let member = open else { preconditionFailure("endFile outside a member") }
        guard member.remaining == 0 else { throw .fewerBytesThanDeclared(name: member.name) }
        open = nil
        let padding = TarHeader.padding(after: member.size)
        length += padding
        return zeros(padding)
    }

    /// The end-of-archive (two zero blocks) and then zero blocks up to the PADMÉ class of the
    /// whole stream, rounded up to a block so that tar sees only more zero blocks.
    public mutating func finish() -> [UInt8] {
        precondition(!finished && open == nil, "finish twice or inside a member")
        finished = true
        let endOfArchive = length + 2 * TarHeader.blockSize
        let padded = Padme.paddedLength(endOfArchive)
        let total = padded + TarHeader.padding(after: padded)
        defer { length = total }
        return zeros(total - length)
    }

    private func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }
}
