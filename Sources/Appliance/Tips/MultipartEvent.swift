import NIOCore

/// What ``MultipartParser`` reports, in the order of the body's bytes.
enum MultipartEvent: Equatable {
    /// One header line of the part being read: its name as sent, its value without the spaces
    /// around it (UTF-8, so file names in any script arrive as typed).
    case header(name: String, value: String)
    /// The blank line after a part's headers: its body starts.
    case bodyStart
    /// Bytes of the part's body, in order, in pieces that say nothing of where the network cut it.
    case body(ByteBuffer)
    /// The delimiter after a part's body.
    case partEnd
}

/// Why a body is not the `multipart/form-data` it says it is.
enum MultipartError: Error, Equatable {
    /// The first bytes are not `--boundary`: browsers send no preamble, so none is read.
    case doesNotStartWithBoundary
    case headerNameNotASCII
    /// A part's header lines, all together, are over their bound.
    case headersTooLong
    /// A header line without a colon, a line break that is not CRLF, a boundary followed by
    /// neither CRLF nor `--`, or bytes after the closing delimiter and its CRLF.
    case broken
}
