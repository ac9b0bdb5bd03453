import NIOCore

/// Keeps from MultipartKit 4.7.1's `MultipartParser` the one input that crashes it: the parser
/// looks each byte of a part's header names up in a table of 128 entries, so a byte of 0x80 or
/// more there is an index out of range — a trap that would stop the whole server, not a refusal.
///
/// This follows the body the way the parser does, byte by byte, before the parser sees it: the
/// delimiters (`CRLF--boundary`, searched for exactly as the parser searches), the header lines
/// after each, and in each line the name before its colon. It says where the first byte is that
/// must not reach the parser, and why: a header name that is not ASCII, or a body that does not
/// start with the boundary (browsers never send the preamble RFC 2046 allows, and without one
/// both agree where the first headers start). Header values, message text and files may hold
/// any byte; UTF-8 file names stay possible.
struct HeaderNameGuard {
    enum Refusal: Equatable {
        case doesNotStartWithBoundary
        case headerNameNotASCII
    }

    private enum State {
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

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The offset in `bytes` of the first byte that must not reach the parser, and why; nil when
    /// all of them may. After a refusal the guard is spent, like the reader that owns it.
    mutating func firstRefusal(in bytes: ByteBuffer) -> (offset: Int, refusal: Refusal)? {
        bytes.withUnsafeReadableBytes { raw in
            for (offset, byte) in raw.enumerated() {
                if let refusal = step(byte) { return (offset, refusal) }
            }
            return nil
        }
    }

    private mutating func step(_ byte: UInt8) -> Refusal? {
        let carriageReturn = UInt8(ascii: "\r"), lineFeed = UInt8(ascii: "\n")
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
