import NIOCore

/// The tip form (`GET /tip`) as `POST /tip` receives it: `multipart/form-data` with a `message`
/// and a repeatable `file` field, read as it arrives rather than collected first.
///
/// What it accepts, and why:
/// - `message`: once, UTF-8 exactly as sent (nothing repaired, line breaks kept as the browser
///   sent them), not only white space, at most ``Limits/maxMessageBytes``.
/// - `file` parts with a file name: attachments, at most ``Limits/maxFiles``, their bytes sealed
///   and staged as they arrive (``AttachmentStager``), the browser's Content-Type ignored. With
///   one, the message may be empty.
/// - `file` parts that carry no file: a browser sends one, with an empty file name and no bytes,
///   for an `<input type=file>` where nothing was chosen; they are ignored.
/// - `codename`: once at most, the follow-up form's hidden field (a tip in a conversation the
///   tipster already has), held like the message and at most ``Limits/maxCodenameBytes``; read
///   as a codename only once the form ended (``TipIntake``).
/// - Nothing else: a field the form does not have is refused rather than dropped, so nothing a
///   tipster sent is ever lost without a word. The body starts with the boundary (browsers send
///   no preamble), and after the closing boundary only a line break may follow
///   (``MultipartParser``).
enum TipForm {
    struct Limits: Sendable {
        /// `inbox_max_tip_bytes`: every byte of the body counts, form overhead included.
        var maxTipBytes: Int
        /// The message is held in memory whole, because the tar header in front of it needs its
        /// length; 1 MiB is several hundred pages of text, far below a tip's limit.
        var maxMessageBytes = 1024 * 1024
        /// One part's header lines together (browsers send one or two short ones): all the parser
        /// holds of a part at once.
        var maxPartHeaderBytes = 16 * 1024
        /// A codename is at most 69 characters; this leaves room for any way of typing one.
        var maxCodenameBytes = 512
        /// `inbox_max_files`: attachments in one tip.
        var maxFiles = 20
        var pace = UploadPace()
    }

    /// Reads the form from the request body as its pieces arrive. Errors of the body itself (the
    /// connection closing) pass through; everything the form says wrong is a ``TipFormError``.
    /// The attachments' ciphertext goes to `stage`, in order, as it is sealed; the last of it
    /// comes in the submission (``TipSubmission/lastSealed``).
    static func read<Body: AsyncSequence>(
        _ body: Body, contentType: String?, declaredLength: Int?, limits: Limits,
        stage: ([UInt8]) async throws -> Void
    ) async throws -> TipSubmission where Body.Element == ByteBuffer {
        let reader = try TipFormReader(contentType: contentType, declaredLength: declaredLength, limits: limits)
        let clock = ContinuousClock()
        let start = clock.now
        var received = 0
        for try await piece in body {
            received += piece.readableBytes
            try limits.pace.check(received: received, elapsed: clock.now - start)
            try reader.consume(piece)
            let sealed = reader.takeSealed()
            if !sealed.isEmpty { try await stage(sealed) }
        }
        return try reader.finish()
    }

    /// The same reading over pieces already in hand: what the unit tests and the fuzz target
    /// drive, so they check the code the server runs.
    static func read(
        _ pieces: some Sequence<ByteBuffer>, contentType: String?, declaredLength: Int? = nil, limits: Limits,
        stage: ([UInt8]) -> Void = { _ in }
    ) throws(TipFormError) -> TipSubmission {
        let reader = try TipFormReader(contentType: contentType, declaredLength: declaredLength, limits: limits)
        for piece in pieces {
            try reader.consume(piece)
            stage(reader.takeSealed())
        }
        return try reader.finish()
    }
}

/// A tip form that was read whole and passed every check.
struct TipSubmission: Sendable {
    /// Valid UTF-8 within the message limit; not only white space unless files came with it.
    var message: PlaintextBytes
    /// Nil when no file came.
    var attachments: StagedAttachments?
    /// The staging file's last ciphertext, to be staged after all that `stage` received.
    var lastSealed: [UInt8]
    /// The `codename` field as sent, not yet read as a codename; nil for a new conversation.
    var codename: PlaintextBytes?

    mutating func wipe() {
        message.wipe()
        codename?.wipe()
        attachments?.wipe()
    }
}
