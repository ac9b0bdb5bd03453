import NIOCore

/// The tip form (`GET /tip`) as `POST /tip` receives it: `multipart/form-data` with a `message`
/// and a repeatable `file` field, read as it arrives rather than collected first.
///
/// What it accepts, and why:
/// - `message`: once, UTF-8 exactly as sent (nothing repaired, line breaks kept as the browser
///   sent them), not only white space, at most ``Limits/maxMessageBytes``.
/// - `file` parts that carry no file: a browser sends one, with an empty file name and no bytes,
///   for an `<input type=file>` where nothing was chosen. A part with a file is refused
///   (``TipFormError/attachmentsNotAccepted``) until attachments are stored.
/// - Nothing else: a field the form does not have is refused rather than dropped, so nothing a
///   tipster sent is ever lost without a word. The body starts with the boundary (browsers send
///   no preamble, and MultipartKit's parser must not see one; see ``HeaderNameGuard``), and
///   after the closing boundary only a line break may follow.
enum TipForm {
    struct Limits: Sendable {
        /// `inbox_max_tip_bytes`: every byte of the body counts, form overhead included.
        var maxTipBytes: Int
        /// The message is held in memory whole, because the tar header in front of it needs its
        /// length; 1 MiB is several hundred pages of text, far below a tip's limit.
        var maxMessageBytes = 1024 * 1024
        /// One part's header lines (browsers send one or two short ones); also bounds what the
        /// parser may buffer or skip without reporting anything.
        var maxPartHeaderBytes = 16 * 1024
    }

    /// Reads the form from the request body as its pieces arrive. Errors of the body itself (the
    /// connection closing) pass through; everything the form says wrong is a ``TipFormError``.
    static func read<Body: AsyncSequence>(
        _ body: Body, contentType: String?, declaredLength: Int?, limits: Limits
    ) async throws -> TipSubmission where Body.Element == ByteBuffer {
        let reader = try TipFormReader(contentType: contentType, declaredLength: declaredLength, limits: limits)
        for try await piece in body {
            try reader.consume(piece)
        }
        return try reader.finish()
    }

    /// The same reading over pieces already in hand: what the unit tests and the fuzz target
    /// drive, so they check the code the server runs.
    static func read(
        _ pieces: some Sequence<ByteBuffer>, contentType: String?, declaredLength: Int? = nil, limits: Limits
    ) throws(TipFormError) -> TipSubmission {
        let reader = try TipFormReader(contentType: contentType, declaredLength: declaredLength, limits: limits)
        for piece in pieces {
            try reader.consume(piece)
        }
        return try reader.finish()
    }
}

/// A tip form that was read whole and passed every check.
struct TipSubmission: Sendable {
    /// Valid UTF-8, not only white space, within the message limit.
    var message: PlaintextBytes

    mutating func wipe() {
        message.wipe()
    }
}
