import Glibc

/// Follows a multipart body the way MultipartKit 4.7.1's `MultipartParser` reads it, before the
/// parser sees it, for two reasons.
///
/// It keeps from the parser the one input that crashes it: the parser looks each byte of a
/// part's header names up in a table of 128 entries, so a byte of 0x80 or more there is an index
/// out of range — a trap that would stop the whole server, not a refusal. It also keeps from the
/// parser what it reads slowest: a part's body, which the parser splits at every CR (about every
/// 256 bytes of a binary file), copying each run into a new buffer.
///
/// So it tracks the delimiters (`CRLF--boundary`, searched for exactly as the parser searches),
/// the header lines after each, and in each line the name before its colon, and cuts the body
/// into ``Run``s: what the parser must read, and stretches of a part's body in which no
/// delimiter starts, which the parser, in its body state, would only hand back as body bytes.
/// Those may go to the part directly; the parser stays in its body state, as it would after
/// reading them. Within a body the search is `memchr` for CR and a comparison at each one,
/// instead of a step per byte. It also refuses a body that does not start with the boundary
/// (browsers never send the preamble RFC 2046 allows, and without one both agree where the
/// first headers start). Header values, message text and files may hold any byte; UTF-8 file
/// names stay possible.
struct HeaderNameGuard {
    enum Refusal: Equatable {
        case doesNotStartWithBoundary
        case headerNameNotASCII
    }

    /// What the bytes from an offset on are, up to the next point where that changes.
    enum Run: Equatable {
        /// The bytes up to `end` go to the parser: delimiters, header lines, whatever follows
        /// the closing boundary, and the bytes of a delimiter the slice cut short.
        case parser(end: Int)
        /// The bytes up to `end` are a part's body holding no delimiter: they may bypass the
        /// parser, which is in its body state before and after them.
        case body(end: Int)
        /// The byte at `offset` must not reach the parser; the bytes before it go to it.
        case refusal(offset: Int, Refusal)
    }

    private enum State: Equatable {
        /// Matching the first delimiter, which the body starts with, without its CRLF.
        case start(matched: Int)
        /// The byte after a delimiter: CR for another part, `-` for the end.
        case afterDelimiter
        case afterDelimiterCR
        case name(empty: Bool)
        case value
        case valueCR
        case blankLineCR
        case body(matched: Int)
        /// The epilogue, or a syntax error the parser refuses itself: nothing left to watch.
        case done
    }

    private let delimiter: [UInt8]
    private var state = State.start(matched: 2)

    private static let carriageReturn = UInt8(ascii: "\r"), lineFeed = UInt8(ascii: "\n")

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The run of `bytes` that starts at `start` (before `bytes.count`). Call again from its end
    /// until the bytes are used up; after a refusal the guard is spent, like the reader that
    /// owns it.
    mutating func next(in bytes: UnsafeRawBufferPointer, from start: Int) -> Run {
        switch state {
        case .body(matched: 0): bodyRun(in: bytes, from: start)
        case .done: .parser(end: bytes.count)
        default: parserRun(in: bytes, from: start)
        }
    }

    /// In a body with no delimiter begun: up to the first CR that starts a delimiter, whole or
    /// cut off by the end of `bytes`; a CR that turns out not to start one is body like any byte.
    private mutating func bodyRun(in bytes: UnsafeRawBufferPointer, from start: Int) -> Run {
        var searchFrom = start
        while searchFrom < bytes.count {
            guard let found = memchr(bytes.baseAddress! + searchFrom, Int32(Self.carriageReturn), bytes.count - searchFrom) else { break }
            let carriageReturn = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            var matched = 1, index = carriageReturn + 1
            while matched < delimiter.count, index < bytes.count, bytes[index] == delimiter[matched] {
                matched += 1
                index += 1
            }
            if matched == delimiter.count || index == bytes.count {
                return carriageReturn > start ? .body(end: carriageReturn) : parserRun(in: bytes, from: start)
            }
            // The byte that ended the match is body too, unless it is a CR that may start one.
            searchFrom = bytes[index] == Self.carriageReturn ? index : index + 1
        }
        return .body(end: bytes.count)
    }

    /// Byte by byte, as the parser goes, until the body of a part is reached with no delimiter
    /// begun, or `bytes` end.
    private mutating func parserRun(in bytes: UnsafeRawBufferPointer, from start: Int) -> Run {
        for offset in start..<bytes.count {
            if let refusal = step(bytes[offset]) { return .refusal(offset: offset, refusal) }
            if state == .body(matched: 0) { return .parser(end: offset + 1) }
            if state == .done { return .parser(end: bytes.count) }
        }
        return .parser(end: bytes.count)
    }

    private mutating func step(_ byte: UInt8) -> Refusal? {
        let carriageReturn = Self.carriageReturn, lineFeed = Self.lineFeed
        switch state {
        case .start(let matched):
            guard byte == delimiter[matched] else { return .doesNotStartWithBoundary }
            state = matched + 1 == delimiter.count ? .afterDelimiter : .start(matched: matched + 1)
        case .afterDelimiter:
            state = byte == carriageReturn ? .afterDelimiterCR : .done
        case .afterDelimiterCR:
            state = byte == lineFeed ? .name(empty: true) : .done
        case .name(let empty):
            if empty, byte == carriageReturn {
                state = .blankLineCR
            } else if byte == UInt8(ascii: ":") {
                state = empty ? .done : .value
            } else if byte >= 0x80 {
                return .headerNameNotASCII
            } else {
                state = .name(empty: false)
            }
        case .value:
            if byte == carriageReturn { state = .valueCR }
        case .valueCR:
            state = byte == lineFeed ? .name(empty: true) : .done
        case .blankLineCR:
            state = byte == lineFeed ? .body(matched: 0) : .done
        case .body(let matched):
            if byte == delimiter[matched] {
                state = matched + 1 == delimiter.count ? .afterDelimiter : .body(matched: matched + 1)
            } else {
                state = .body(matched: byte == carriageReturn ? 1 : 0)
            }
        case .done:
            break
        }
        return nil
    }
}
