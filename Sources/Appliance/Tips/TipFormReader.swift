import NIOCore
import SmallFiles
import Translation

/// The state machine behind ``TipForm``: ``MultipartParser`` finds the parts, and this decides
/// what each part may be and holds the message.
///
/// The parser reports through a callback that cannot throw, so a refusal is recorded and thrown
/// by the `consume` that fed it; after one, every further event is ignored, and a refusal found
/// here comes before a syntax error the parser finds in later bytes of the same piece.
///
/// Attachments never stay here: their bytes are sealed as they arrive (``AttachmentStager``),
/// and the caller takes the ciphertext after each `consume` (``takeSealed()``).
///
/// One reader reads one body, in one task (it is not `Sendable`).
final class TipFormReader {
    private enum Part {
        /// Before the first part, or after one ended.
        case between
        /// Header lines arrived; what the part is is decided when its body starts.
        case headers(contentDisposition: String?)
        case message
        /// The follow-up form's hidden `codename` field.
        case codename
        /// A `file` field with a file name: its bytes go to the ``AttachmentStager``.
        case attachment
        /// A `file` field where nothing was chosen: it must stay empty.
        case noFile
    }

    private let limits: TipForm.Limits
    private var parser: MultipartParser
    private var part = Part.between
    private var message = PlaintextBytes()
    private var messageSeen = false
    /// Nil until a `codename` part came.
    private var codename: PlaintextBytes?
    /// Made at the first attachment, so a tip without files stages nothing.
    private var stager: AttachmentStager?
    private var emptyFileParts = 0
    private var failure: TipFormError?
    private var received = 0

    init(contentType: String?, declaredLength: Int?, limits: TipForm.Limits) throws(TipFormError) {
        guard let contentType,
              contentType.prefix(while: { $0 != ";" }).trimmingWhitespace().lowercased() == "multipart/form-data" else {
            throw .notMultipart
        }
        guard let parameters = HeaderParameters(contentType), let boundary = parameters.parameters["boundary"],
              MultipartBoundary.isValid(boundary) else {
            throw .missingBoundary
        }
        if let declaredLength, declaredLength > limits.maxTipBytes { throw .tipTooLarge(limit: limits.maxTipBytes) }
        self.limits = limits
        parser = MultipartParser(boundary: boundary, maxHeaderBytes: limits.maxPartHeaderBytes)
    }

    /// A body that ended early (the connection closed) leaves its message here: cleared too.
    deinit {
        message.wipe()
        codename?.wipe()
        stager?.wipe()
    }

    /// The next piece of the body, as it came off the connection. Every byte counts against
    /// the tip's limit; the bytes within it are read first, so the first refusal is always the
    /// one at the earliest byte, wherever the network cut the body.
    func consume(_ piece: ByteBuffer) throws(TipFormError) {
        if let failure { throw failure }
        let allowed = min(piece.readableBytes, limits.maxTipBytes - received)
        do {
            try parser.consume(piece.getSlice(at: piece.readerIndex, length: allowed)!) { handle($0) }
        } catch {
            throw refuse(.malformed(Self.reason(error)))
        }
        if let failure { throw failure }
        received += allowed
        guard allowed == piece.readableBytes else { throw refuse(.tipTooLarge(limit: limits.maxTipBytes)) }
    }

    private static func reason(_ error: MultipartError) -> Message {
        switch error {
        case .doesNotStartWithBoundary: Message("it does not start with its boundary")
        case .headerNameNotASCII: Message("a part's header name is not ASCII")
        case .headersTooLong: Message("a part's headers are too long")
        case .broken: Message("the multipart encoding is broken")
        }
    }

    private func handle(_ event: MultipartEvent) {
        guard failure == nil else { return }
        switch event {
        case .header(let name, let value): header(name, value)
        case .bodyStart: openPart()
        case .body(let bytes): body(bytes)
        case .partEnd: part = .between
        }
    }

    /// The submission, once the whole body was consumed.
    func finish() throws(TipFormError) -> TipSubmission {
        if let failure { throw failure }
        guard parser.isComplete else {
            throw refuse(.malformed(Message("it ends before its closing boundary")))
        }
        try checkMessage()
        let staged = stager?.finish()
        stager = nil
        let submission = TipSubmission(
            message: message, attachments: staged?.staged, lastSealed: staged?.lastSealed ?? [], codename: codename)
        message = PlaintextBytes()
        codename = nil
        return submission
    }

    /// The attachments' ciphertext sealed by the last `consume`s, to be staged in order.
    func takeSealed() -> [UInt8] {
        stager?.takeSealed() ?? []
    }

    /// Valid UTF-8 with at least one character that is not white space (unless a file came with
    /// it), checked without making a `String` of it (a copy that could not be cleared).
    private func checkMessage() throws(TipFormError) {
        var decoder = UTF8()
        var iterator = message.bytes.makeIterator()
        var hasText = false
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                hasText = hasText || !scalar.properties.isWhitespace
            case .emptyInput:
                guard hasText || stager != nil else { throw refuse(.emptyMessage) }
                return
            case .error:
                throw refuse(.messageNotUTF8)
            }
        }
    }

    private func header(_ name: String, _ value: String) {
        var disposition: String?
        if case .headers(let seen) = part { disposition = seen }
        if name.lowercased() == "content-disposition" {
            guard disposition == nil else { return fail(.malformed(Message("a part has two Content-Disposition headers"))) }
            disposition = value
        }
        part = .headers(contentDisposition: disposition)
    }

    private func body(_ bytes: ByteBuffer) {
        switch part {
        case .message:
            guard message.count + bytes.readableBytes <= limits.maxMessageBytes else {
                return fail(.messageTooLarge(limit: limits.maxMessageBytes))
            }
            message.append(bytes)
        case .codename:
            guard (codename?.count ?? 0) + bytes.readableBytes <= limits.maxCodenameBytes else {
                return fail(.codenameTooLong)
            }
            codename?.append(bytes)
        case .attachment:
            stager?.append(bytes)
        case .noFile:
            fail(.malformed(Message("a file part carries bytes but no file name")))
        case .between, .headers:
            preconditionFailure("a body starts only after the part was decided")
        }
    }

    /// What the part whose body starts is, from its headers; a part the form cannot have is
    /// refused here.
    private func openPart() {
        guard case .headers(let disposition) = part else { return fail(.malformed(Message("a part has no headers"))) }
        guard let disposition, let field = HeaderParameters(disposition), field.value == "form-data",
              let name = field.parameters["name"] else {
            return fail(.malformed(Message("a part is not a form field")))
        }
        switch name {
        case "message":
            guard !messageSeen else { return fail(.malformed(Message("it carries two messages"))) }
            messageSeen = true
            part = .message
        case "codename":
            guard codename == nil else { return fail(.malformed(Message("it carries two codenames"))) }
            codename = PlaintextBytes()
            part = .codename
        case "file":
            guard let name = field.parameters["filename"], !name.isEmpty else {
                // One per file input with nothing chosen; more than files allowed is no form's.
                emptyFileParts += 1
                guard emptyFileParts <= limits.maxFiles else {
                    return fail(.malformed(Message("it carries more empty file fields than the form has")))
                }
                part = .noFile
                return
            }
            guard (stager?.attachments.count ?? 0) < limits.maxFiles else { return fail(.tooManyFiles(limit: limits.maxFiles)) }
            if stager == nil { stager = AttachmentStager() }
            stager?.begin(submittedName: name)
            part = .attachment
        default:
            fail(.unknownField)
        }
    }

    private func fail(_ error: TipFormError) {
        _ = refuse(error)
    }

    /// Records the first refusal, clears the message and the staging key: nothing of a refused
    /// tip is kept, and what was staged of it can no longer be read.
    private func refuse(_ error: TipFormError) -> TipFormError {
        let first = failure ?? error
        failure = first
        message.wipe()
        codename?.wipe()
        stager?.wipe()
        return first
    }
}
