import NIOCore

/// Whether a multipart body ended with its closing delimiter, `CRLF--boundary--`, or with it and
/// one more CRLF: MultipartKit's parser never says whether it came (it skips whatever follows
/// it), so the last bytes of the body tell.
///
/// Only those last bytes are kept, as many as the delimiter and a CRLF, whatever the body's size.
struct ClosingDelimiter {
    private let delimiter: [UInt8]
    private var tail: [UInt8] = []

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)--".utf8)
    }

    /// The next bytes of the body.
    mutating func remember(_ piece: ByteBuffer) {
        let keep = delimiter.count + 2
        let last = piece.readableBytesView.suffix(keep)
        if last.count == keep {
            tail = Array(last)
        } else {
            tail = Array((tail + last).suffix(keep))
        }
    }

    /// Whether the bytes so far end the body as it must end.
    var ended: Bool {
        let lineBreak: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        let end = tail.suffix(2).elementsEqual(lineBreak) ? tail.dropLast(2) : tail[...]
        return end.suffix(delimiter.count).elementsEqual(delimiter)
    }
}
