import Glibc
import NIOCore

/// A streaming reader of a `multipart/form-data` body (RFC 7578, RFC 2046 §5.1.1), fed the
/// body as it arrives: it keeps no more than the header line being read, and hands a part's
/// body on as slices of what it was fed.
///
/// Stricter than RFC 2046 where browsers never need the leniency: no preamble, no epilogue
/// (the closing delimiter may be followed by one CRLF and nothing else), no padding after a
/// boundary, CRLF line breaks only, header names of RFC 9110 token characters. In a body the
/// delimiter (`CRLF--boundary`) is searched for with `memchr` for CR; a delimiter cut by the end
/// of a piece is carried over as a count of matched bytes, which are the delimiter's own.
///
/// Whether the bytes ended where a body may end is ``isComplete``; where the network cut them
/// changes neither the events nor the error.
struct MultipartParser {
    private enum State: Equatable {
        /// Matching `--boundary` at the very start.
        case start(matched: Int)
        /// After a boundary: CR for another part, `-` for the end.
        case afterBoundary
        case afterBoundaryCR
        case closingDash
        /// After `--boundary--`: nothing but one CRLF may follow.
        case closed
        case closedCR
        case ended
        case headerName
        case headerValue
        case headerValueCR
        case blankLineCR
        /// In a part's body, with `matched` bytes of a delimiter seen.
        case body(matched: Int)
    }

    private let delimiter: [UInt8]
    private let maxHeaderBytes: Int
    private var state = State.start(matched: 2)
    private var headerBytes = 0
    private var name: [UInt8] = []
    private var value: [UInt8] = []

    private static let carriageReturn = UInt8(ascii: "\r"), lineFeed = UInt8(ascii: "\n"), dash = UInt8(ascii: "-")

    /// `boundary` as ``MultipartBoundary`` allows it (so without CR); `maxHeaderBytes` bounds
    /// each part's header lines together.
    init(boundary: String, maxHeaderBytes: Int) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// The closing delimiter came, and at most its CRLF after it.
    var isComplete: Bool { state == .closed || state == .ended }

    /// The next bytes of the body; `handle` sees each event as it is found.
    mutating func consume(_ buffer: ByteBuffer, _ handle: (MultipartEvent) -> Void) throws(MultipartError) {
        var offset = 0
        let count = buffer.readableBytes
        while offset < count {
            if case .body(let matched) = state {
                offset = buffer.withUnsafeReadableBytes { bodyRun($0, from: offset, matched: matched, buffer, handle) }
                continue
            }
            let byte = buffer.getInteger(at: buffer.readerIndex + offset, as: UInt8.self)!
            try step(byte, handle)
            offset += 1
        }
    }

    /// Through a part's body from `start`: to the end of the bytes, or just past a delimiter.
    /// Returns where it stopped.
    private mutating func bodyRun(
        _ bytes: UnsafeRawBufferPointer, from start: Int, matched: Int, _ buffer: ByteBuffer, _ handle: (MultipartEvent) -> Void
    ) -> Int {
        var index = start
        var matched = matched
        if matched > 0 {
            while index < bytes.count, matched < delimiter.count, bytes[index] == delimiter[matched] {
                matched += 1
                index += 1
            }
            if matched == delimiter.count {
                finishPart(handle)
                return index
            }
            if index == bytes.count {
                state = .body(matched: matched)
                return index
            }
            // Not a delimiter after all: what matched was body (it holds no second CR).
            handle(.body(ByteBuffer(bytes: delimiter[..<matched])))
            matched = 0
        }
        let runStart = index
        while index < bytes.count {
            guard let found = memchr(bytes.baseAddress! + index, Int32(Self.carriageReturn), bytes.count - index) else { break }
            let carriageReturn = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            var probe = carriageReturn
            var probeMatched = 0
            while probe < bytes.count, probeMatched < delimiter.count, bytes[probe] == delimiter[probeMatched] {
                probeMatched += 1
                probe += 1
            }
            if probeMatched == delimiter.count || probe == bytes.count {
                emitBody(buffer, from: runStart, to: carriageReturn, handle)
                if probeMatched == delimiter.count {
                    finishPart(handle)
                } else {
                    state = .body(matched: probeMatched)
                }
                return probe
            }
            // The byte that ended the match is body too, unless it is a CR that may start one.
            index = bytes[probe] == Self.carriageReturn ? probe : probe + 1
        }
        emitBody(buffer, from: runStart, to: bytes.count, handle)
        state = .body(matched: 0)
        return bytes.count
    }

    private func emitBody(_ buffer: ByteBuffer, from start: Int, to end: Int, _ handle: (MultipartEvent) -> Void) {
        guard end > start else { return }
        handle(.body(buffer.getSlice(at: buffer.readerIndex + start, length: end - start)!))
    }

    private mutating func finishPart(_ handle: (MultipartEvent) -> Void) {
        handle(.partEnd)
        state = .afterBoundary
    }

    private mutating func step(_ byte: UInt8, _ handle: (MultipartEvent) -> Void) throws(MultipartError) {
        switch state {
        case .start(let matched):
            guard byte == delimiter[matched] else { throw .doesNotStartWithBoundary }
            state = matched + 1 == delimiter.count ? .afterBoundary : .start(matched: matched + 1)
        case .afterBoundary:
            switch byte {
            case Self.carriageReturn: state = .afterBoundaryCR
            case Self.dash: state = .closingDash
            default: throw .broken
            }
        case .afterBoundaryCR:
            guard byte == Self.lineFeed else { throw .broken }
            headerBytes = 0
            state = .headerName
        case .closingDash:
            guard byte == Self.dash else { throw .broken }
            state = .closed
        case .closed:
            guard byte == Self.carriageReturn else { throw .broken }
            state = .closedCR
        case .closedCR:
            guard byte == Self.lineFeed else { throw .broken }
            state = .ended
        case .ended:
            throw .broken
        case .headerName, .headerValue, .headerValueCR, .blankLineCR:
            headerBytes += 1
            guard headerBytes <= maxHeaderBytes else { throw .headersTooLong }
            try headerStep(byte, handle)
        case .body:
            preconditionFailure("a body is read by bodyRun")
        }
    }

    private mutating func headerStep(_ byte: UInt8, _ handle: (MultipartEvent) -> Void) throws(MultipartError) {
        switch state {
        case .headerName:
            if byte == Self.carriageReturn, name.isEmpty {
                state = .blankLineCR
            } else if byte == UInt8(ascii: ":") {
                guard !name.isEmpty else { throw .broken }
                state = .headerValue
            } else if byte >= 0x80 {
                throw .headerNameNotASCII
            } else {
                guard Self.isTokenByte(byte) else { throw .broken }
                name.append(byte)
            }
        case .headerValue:
            if byte == Self.carriageReturn { state = .headerValueCR } else { value.append(byte) }
        case .headerValueCR:
            guard byte == Self.lineFeed else { throw .broken }
            let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let trimmed = value.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
            handle(.header(name: String(decoding: name, as: UTF8.self), value: String(decoding: trimmed, as: UTF8.self)))
            name.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            state = .headerName
        case .blankLineCR:
            guard byte == Self.lineFeed else { throw .broken }
            handle(.bodyStart)
            state = .body(matched: 0)
        default:
            preconditionFailure("only header states are read here")
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
