import MultipartKit
import NIOCore
import SmallFiles
import Translation

/// The state machine behind ``TipForm``: MultipartKit's streaming `MultipartParser` finds the
/// parts, and this decides what each part may be and holds the message.
///
/// Every byte passes ``HeaderNameGuard`` first, which keeps from the parser the one input that
/// crashes it, and hands a part's body, where no delimiter starts, straight to the part: the
/// parser would only split it at every CR and copy each piece. The parser reports through
/// callbacks that cannot throw, so a refusal is recorded and thrown by the `consume` that fed it;
/// after one, every further callback is ignored. The parser keeps a part's header lines in memory
/// until they end and reports nothing while it skips an epilogue, so it is fed slices of at most
/// ``sliceBytes`` and a run of bytes that brings no callback is bounded by
/// ``TipForm/Limits/maxPartHeaderBytes``. It never says whether the closing boundary came; the
/// last bytes of the body tell.
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
        case headers(contentDisposition: String?, bytes: Int)
        case message
        /// The follow-up form's hidden `codename` field.
        case codename
        /// A `file` field with a file name: its bytes go to the ``AttachmentStager``.
        case attachment
        /// A `file` field where nothing was chosen: it must stay empty.
        case noFile
    }

    static let sliceBytes = 4096

    private let limits: TipForm.Limits
    private let parser: MultipartParser
    /// Sees every byte before the parser does (see ``HeaderNameGuard``).
    private var headerGuard: HeaderNameGuard
    private var closing: ClosingDelimiter
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
    /// Callbacks so far, and at the last checkpoint: whether the parser reported anything since.
    private var callbacks = 0
    private var callbacksAtCheckpoint = 0
    private var bytesWithoutCallback = 0

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
        parser = MultipartParser(boundary: boundary)
        headerGuard = HeaderNameGuard(boundary: boundary)
        closing = ClosingDelimiter(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in self.header(name, value) }
        parser.onBody = { [unowned self] body in self.body(body) }
        parser.onPartComplete = { [unowned self] in self.partComplete() }
    }

    /// A body that ended early (the connection closed) leaves its message here: cleared too.
    deinit {
        message.wipe()
        codename?.wipe()
        stager?.wipe()
    }

    /// The next piece of the body, as it came off the connection.
    ///
    /// The outcome never depends on where the network cut the body: the parser is fed slices
    /// that end at the same offsets whatever the pieces, the bounds are checked at those offsets
    /// or at exact byte counts, and so the first refusal is always the one at the earliest byte.
    func consume(_ piece: ByteBuffer) throws(TipFormError) {
        if let failure { throw failure }
        // Past a refusal below, the tail no longer matters: the failure is what `finish` throws.
        closing.remember(piece)
        var rest = piece
        while rest.readableBytes > 0 {
            guard received < limits.maxTipBytes else { throw refuse(.tipTooLarge(limit: limits.maxTipBytes)) }
            let toCheckpoint = Self.sliceBytes - received % Self.sliceBytes
            let length = min(rest.readableBytes, toCheckpoint, limits.maxTipBytes - received)
            guard let slice = rest.readSlice(length: length) else { preconditionFailure("a slice within the readable bytes") }
            try route(slice)
            received += length
            if received % Self.sliceBytes == 0 { try checkpoint() }
        }
    }

    /// One slice, in the runs ``HeaderNameGuard`` cuts it into: to the parser, or, for a part's
    /// body holding no delimiter, straight to the part, as the parser would have handed it on.
    /// The bytes before one the parser must not see still go to it: a refusal it finds in them
    /// comes first, as it would had the body been cut elsewhere.
    private func route(_ slice: ByteBuffer) throws(TipFormError) {
        var offset = 0
        while offset < slice.readableBytes {
            let run = slice.withUnsafeReadableBytes { headerGuard.next(in: $0, from: offset) }
            let end = switch run { case .parser(let end), .body(let end), .refusal(let end, _): end }
            if end > offset {
                let bytes = slice.getSlice(at: slice.readerIndex + offset, length: end - offset)!
                if case .body = run {
                    body(bytes)
                    if let failure { throw failure }
                } else {
                    try execute(bytes)
                }
            }
            switch run {
            case .refusal(_, .doesNotStartWithBoundary): throw refuse(.malformed(Message("it does not start with its boundary")))
            case .refusal(_, .headerNameNotASCII): throw refuse(.malformed(Message("a part's header name is not ASCII")))
            case .parser, .body: offset = end
            }
        }
    }

    private func execute(_ bytes: ByteBuffer) throws(TipFormError) {
        do {
            try parser.execute(bytes)
        } catch {
            throw refuse(.malformed(Message("the multipart encoding is broken")))
        }
        if let failure { throw failure }
    }

    /// Every ``sliceBytes`` of the body: a run of slices that made the parser report nothing is
    /// a header line, which the parser buffers, or an epilogue, which it skips; it is bounded.
    private func checkpoint() throws(TipFormError) {
        bytesWithoutCallback = callbacks == callbacksAtCheckpoint ? bytesWithoutCallback + Self.sliceBytes : 0
        callbacksAtCheckpoint = callbacks
        guard bytesWithoutCallback <= limits.maxPartHeaderBytes else {
            throw refuse(.malformed(Message("a part's header lines are too long, or data follows the closing boundary")))
        }
    }

    /// The submission, once the whole body was consumed.
    func finish() throws(TipFormError) -> TipSubmission {
        if let failure { throw failure }
        guard case .between = part, closing.ended else {
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
        callbacks += 1
        guard failure == nil else { return }
        var (disposition, bytes): (String?, Int) = (nil, 0)
        if case .headers(let seen, let count) = part { (disposition, bytes) = (seen, count) }
        bytes += name.utf8.count + value.utf8.count
        guard bytes <= limits.maxPartHeaderBytes else { return fail(.malformed(Message("a part's headers are too long"))) }
        if name.lowercased() == "content-disposition" {
            guard disposition == nil else { return fail(.malformed(Message("a part has two Content-Disposition headers"))) }
            disposition = value
        }
        part = .headers(contentDisposition: disposition, bytes: bytes)
    }

    private func body(_ bytes: ByteBuffer) {
        callbacks += 1
        guard failure == nil, let open = openPart() else { return }
        switch open {
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
        case .noFile where bytes.readableBytes > 0:
            fail(.malformed(Message("a file part carries bytes but no file name")))
        default:
            return
        }
    }

    private func partComplete() {
        callbacks += 1
        guard failure == nil, openPart() != nil else { return }
        part = .between
    }

    /// The part whose body is arriving, decided from its headers when the body starts; nil once
    /// it was refused.
    private func openPart() -> Part? {
        switch part {
        case .between:
            fail(.malformed(Message("a part has no headers")))
            return nil
        case .headers(let disposition, _):
            guard let disposition, let field = HeaderParameters(disposition), field.value == "form-data",
                  let name = field.parameters["name"] else {
                fail(.malformed(Message("a part is not a form field")))
                return nil
            }
            switch name {
            case "message":
                guard !messageSeen else {
                    fail(.malformed(Message("it carries two messages")))
                    return nil
                }
                messageSeen = true
                part = .message
            case "codename":
                guard codename == nil else {
                    fail(.malformed(Message("it carries two codenames")))
                    return nil
                }
                codename = PlaintextBytes()
                part = .codename
            case "file":
                guard let name = field.parameters["filename"], !name.isEmpty else {
                    // One per file input with nothing chosen; more than files allowed is no form's.
                    emptyFileParts += 1
                    guard emptyFileParts <= limits.maxFiles else {
                        fail(.malformed(Message("it carries more empty file fields than the form has")))
                        return nil
                    }
                    part = .noFile
                    return part
                }
                guard (stager?.attachments.count ?? 0) < limits.maxFiles else {
                    fail(.tooManyFiles(limit: limits.maxFiles))
                    return nil
                }
                if stager == nil { stager = AttachmentStager() }
                stager?.begin(submittedName: name)
                part = .attachment
            default:
                fail(.unknownField)
                return nil
            }
            return part
        case .message, .codename, .attachment, .noFile:
            return part
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
