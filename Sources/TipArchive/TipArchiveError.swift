/// Why a tip archive was refused while reading, or why a member did not get the bytes it
/// declared while writing. The reader's cases say what is wrong with the archive, so that
/// `ashlink inbox decrypt` can tell a damaged tip from one that tries to escape its folder.
public enum TipArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `write` was given more bytes than `beginFile` declared.
    case moreBytesThanDeclared(name: String)
    /// `endFile` came before the bytes `beginFile` declared.
    case fewerBytesThanDeclared(name: String)
    /// A header block whose checksum does not match its contents.
    case badChecksum
    /// A header that is not POSIX ustar (a GNU, pax or pre-POSIX tar header).
    case notUstar
    /// A header field that does not parse, or a lone zero block before a header.
    case malformedHeader(String)
    /// A member name that would land outside the output folder or hide what it is.
    case unsafeName(String)
    /// A link, device, FIFO or extension header: only plain files and directories are accepted.
    case notAPlainFileOrDirectory(name: String, typeflag: UInt8)
    /// The same name twice (compared case-insensitively): the second would overwrite the first.
    case duplicateName(String)
    /// The stream ends inside a header or a member.
    case truncated
    /// The stream ends after a whole member without the two zero blocks that close an archive.
    case missingEndOfArchive
    /// Something other than zero bytes after the end of the archive.
    case dataAfterEnd

    public var description: String {
        switch self {
        case .moreBytesThanDeclared(let name): return "more bytes than declared for \(name)"
        case .fewerBytesThanDeclared(let name): return "fewer bytes than declared for \(name)"
        case .badChecksum: return "the tip archive is damaged: a header's checksum does not match"
        case .notUstar: return "the tip archive holds a header that is not POSIX ustar"
        case .malformedHeader(let why): return "the tip archive is damaged: \(why)"
        case .unsafeName(let name): return "the tip archive names an unsafe path: \(name.debugDescription)"
        case .notAPlainFileOrDirectory(let name, let typeflag):
            return "the tip archive holds \(name.debugDescription) of type \(Unicode.Scalar(typeflag).escaped(asASCII: true)), not a plain file or directory"
        case .duplicateName(let name): return "the tip archive names \(name.debugDescription) twice"
        case .truncated: return "the tip archive is truncated"
        case .missingEndOfArchive: return "the tip archive has no end-of-archive marker: it is incomplete"
        case .dataAfterEnd: return "the tip archive has data after its end"
        }
    }
}
