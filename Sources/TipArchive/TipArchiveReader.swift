/// Reads a tip archive as it is decrypted, in memory bounded by one header block and the names
/// seen: feed it the plaintext in pieces of any size and write out the events it returns.
///
/// It accepts only what a journalist can extract without thinking twice: POSIX ustar headers
/// of plain files and directories with safe relative names (`MemberName.isSafe`), each name once
/// (compared case-insensitively, as macOS and Windows file systems compare them). Links, devices,
/// FIFOs, pax and GNU headers are refused, not skipped: the writer never emits them, so one is a
/// sign of a forged or damaged tip. After the two zero blocks that end the archive only zero
/// bytes may follow (the writer's PADMÉ padding).
///
/// Like `AgeDecryptor`, it returns a member's bytes before it knows the archive is whole: keep
/// the output under a temporary name until `finish` returns. After an error, discard the reader.
public struct TipArchiveReader: Sendable {
    public enum Event: Equatable, Sendable {
        /// A regular file begins; `data` events with exactly `size` bytes and `endOfFile` follow.
        case file(name: String, size: Int)
        case data([UInt8])
        case endOfFile
        /// A directory, its name without the trailing `/`.
        case directory(name: String)
    }

    private enum State: Sendable {
        /// Collecting a header block; `afterZeroBlock` once one zero block was seen.
        case header(afterZeroBlock: Bool)
        case contents(remaining: Int, padding: Int)
        case padding(remaining: Int)
        case ended
    }

    private var state = State.header(afterZeroBlock: false)
    private var block: [UInt8] = []
    private var names: Set<String> = []

    public init() {}

    public mutating func consume(_ bytes: some Sequence<UInt8>) throws(TipArchiveError) -> [Event] {
        let input = Array(bytes)
        var index = input.startIndex, events: [Event] = []
        while index < input.endIndex {
            let available = input.endIndex - index
            switch state {
            case .header(let afterZeroBlock):
                let take = min(TarHeader.blockSize - block.count, available)
                block += input[index..<index + take]
                index += take
                if block.count == TarHeader.blockSize {
                    try endOfHeader(afterZeroBlock: afterZeroBlock, into: &events)
                }
            case .contents(let remaining, let padding):
                let take = min(remaining, available)
                events.append(.data(Array(input[index..<index + take])))
                index += take
                if take == remaining {
                    events.append(.endOfFile)
                    state = padding > 0 ? .padding(remaining: padding) : .header(afterZeroBlock: false)
                } else {
                    state = .contents(remaining: remaining - take, padding: padding)
                }
            case .padding(let remaining):
                let take = min(remaining, available)
                index += take
                state = take == remaining ? .header(afterZeroBlock: false) : .padding(remaining: remaining - take)
            case .ended:
                guard input[index...].allSatisfy({ $0 == 0 }) else { throw .dataAfterEnd }
                index = input.endIndex
            }
        }
        return events
    }

    /// Call at the end of the stream: refuses an archive cut inside a header or a member, and one
    /// cut between members (no end-of-archive: the rest of the tip is missing).
    public func finish() throws(TipArchiveError) {
        switch state {
        case .ended: return
        case .header where block.isEmpty: throw .missingEndOfArchive
        default: throw .truncated
        }
    }

    private mutating func endOfHeader(afterZeroBlock: Bool, into events: inout [Event]) throws(TipArchiveError) {
        defer { block = [] }
        if block.allSatisfy({ $0 == 0 }) {
            state = afterZeroBlock ? .ended : .header(afterZeroBlock: true)
            return
        }
        guard !afterZeroBlock else { throw .malformedHeader("a lone zero block before a header") }
        let header = try TarHeader.decode(block[...])
        switch header.typeflag {
        case TarHeader.regularFile, 0:
            try claim(header.name, directory: false)
            events.append(.file(name: header.name, size: header.size))
            if header.size == 0 {
                events.append(.endOfFile)
            } else {
                state = .contents(remaining: header.size, padding: TarHeader.padding(after: header.size))
            }
        case TarHeader.directory:
            guard header.size == 0 else { throw .malformedHeader("a directory with contents") }
            try claim(header.name, directory: true)
            events.append(.directory(name: Self.withoutTrailingSlash(header.name)))
        default:
            throw .notAPlainFileOrDirectory(name: header.name, typeflag: header.typeflag)
        }
    }

    private mutating func claim(_ name: String, directory: Bool) throws(TipArchiveError) {
        guard MemberName.isSafe(name, directory: directory) else { throw .unsafeName(name) }
        guard names.insert(Self.withoutTrailingSlash(name).lowercased()).inserted else { throw .duplicateName(name) }
    }

    /// By scalar, not `Character`: a prepended scalar can share a grapheme with the slash.
    private static func withoutTrailingSlash(_ name: String) -> String {
        name.unicodeScalars.last == "/" ? String(Substring(name.unicodeScalars.dropLast())) : name
    }
}
