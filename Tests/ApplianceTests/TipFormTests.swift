import NIOCore
import Translation
import XCTest
@testable import Appliance

/// The tip form's reader over bodies made here byte by byte, cut into pieces at every position:
/// the network decides where a body splits, so no split may change what is read.
final class TipFormTests: XCTestCase {
    private let multipart = MultipartBody()
    private var boundary: String { multipart.boundary }
    private var contentType: String { multipart.contentType }
    private let limits = TipForm.Limits(maxTipBytes: 64 * 1024)

    private func part(_ headers: [String], _ content: [UInt8]) -> [UInt8] { multipart.part(headers, content) }
    private func field(_ name: String, _ content: some StringProtocol) -> [UInt8] { multipart.field(name, content) }
    private var noFileChosen: [UInt8] { multipart.noFileChosen }
    private func form(_ parts: [UInt8]...) -> [UInt8] { multipart.closed(parts) }

    private func read(_ pieces: [[UInt8]], contentType: String? = nil, limits: TipForm.Limits? = nil) throws(TipFormError) -> String {
        let submission = try TipForm.read(
            pieces.map { ByteBuffer(bytes: $0) }, contentType: contentType ?? self.contentType, limits: limits ?? self.limits)
        return String(decoding: submission.message.bytes, as: UTF8.self)
    }

    private func refusal(_ pieces: [[UInt8]], contentType: String? = nil, limits: TipForm.Limits? = nil) -> TipFormError? {
        do {
            let message = try read(pieces, contentType: contentType, limits: limits)
            XCTFail("accepted, with message \(message.debugDescription)")
            return nil
        } catch {
            return error
        }
    }

    /// Text that starts the boundary without finishing it, CRs and LFs alone, and markup.
    private let awkwardMessage = "Line one\r\nline two\n\r\n--\r\n--\("----AshlinkBoundary7MA4") <script>é 😀\r"

    func testTheMessageArrivesExactlyAsSent() throws {
        XCTAssertEqual(try read([form(field("message", awkwardMessage), noFileChosen)]), awkwardMessage)
    }

    func testEverySplitOfTheBodyReadsTheSame() throws {
        let body = form(field("message", awkwardMessage), noFileChosen, noFileChosen)
        for cut in 0...body.count {
            XCTAssertEqual(try read([Array(body[..<cut]), Array(body[cut...])]), awkwardMessage, "cut at \(cut)")
        }
        for (first, second) in [(3, 40), (41, 42), (60, 200), (body.count - 10, body.count - 3)] {
            let pieces = [Array(body[..<first]), Array(body[first..<second]), Array(body[second...])]
            XCTAssertEqual(try read(pieces), awkwardMessage, "cuts at \(first) and \(second)")
        }
        XCTAssertEqual(try read(body.map { [$0] }), awkwardMessage, "one byte at a time")
    }

    func testABodyCutShortIsRefusedWherever() {
        let body = form(field("message", "a tip"))
        // Only the final line break may be missing.
        XCTAssertEqual(try read([Array(body.dropLast(2))]), "a tip")
        for length in 0..<(body.count - 2) {
            let error = refusal([Array(body[..<length])])
            XCTAssertNotNil(error, "length \(length)")
            XCTAssertEqual(error?.status, .badRequest, "length \(length)")
        }
    }

    func testTheTipLimitCountsEveryByteRead() throws {
        let limits = TipForm.Limits(maxTipBytes: 4096)
        let overhead = form(field("message", "")).count
        let fits = form(field("message", String(repeating: "a", count: 4096 - overhead)))
        XCTAssertEqual(fits.count, 4096)
        XCTAssertEqual(try read([fits], limits: limits).count, 4096 - overhead)
        let over = form(field("message", String(repeating: "a", count: 4097 - overhead)))
        XCTAssertEqual(refusal([Array(over[..<100]), Array(over[100...])], limits: limits), .tipTooLarge(limit: 4096))
        XCTAssertEqual(TipFormError.tipTooLarge(limit: 100 << 20).status, .contentTooLarge)
        XCTAssertEqual(TipFormError.tipTooLarge(limit: 100 << 20).message.englishText, "The tip is too large: the limit is 100 MiB (104857600 bytes). Nothing was stored.")
    }

    func testADeclaredLengthOverTheLimitIsRefusedBeforeAnyByteIsRead() {
        XCTAssertThrowsError(try TipFormReader(contentType: contentType, declaredLength: limits.maxTipBytes + 1, limits: limits)) {
            XCTAssertEqual($0 as? TipFormError, .tipTooLarge(limit: limits.maxTipBytes))
        }
        XCTAssertNoThrow(try TipFormReader(contentType: contentType, declaredLength: limits.maxTipBytes, limits: limits))
    }

    func testTheMessageHasItsOwnLimit() throws {
        var limits = self.limits
        limits.maxMessageBytes = 1000
        XCTAssertEqual(try read([form(field("message", String(repeating: "é", count: 500)))], limits: limits).utf8.count, 1000)
        XCTAssertEqual(refusal([form(field("message", String(repeating: "é", count: 500) + "!"))], limits: limits), .messageTooLarge(limit: 1000))
        XCTAssertEqual(TipForm.Limits(maxTipBytes: 1).maxMessageBytes, 1024 * 1024)
        XCTAssertEqual(TipFormError.messageTooLarge(limit: 1024 * 1024).status, .contentTooLarge)
    }

    func testAMessageThatIsNotUTF8IsRefused() {
        for broken: [UInt8] in [[0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0xE2, 0x82]] {
            let body = form(part(["Content-Disposition: form-data; name=\"message\""], broken))
            XCTAssertEqual(refusal([body]), .messageNotUTF8, "\(broken)")
        }
    }

    func testAnEmptyMessageAsksForText() {
        XCTAssertEqual(refusal([form(field("message", ""))]), .emptyMessage)
        XCTAssertEqual(refusal([form(field("message", " \r\n\t\u{00A0}\u{3000}"))]), .emptyMessage)
        XCTAssertEqual(refusal([form(noFileChosen)]), .emptyMessage)
        XCTAssertTrue(TipFormError.emptyMessage.message.englishText.contains("write something"))
    }

    func testOnlyMultipartFormDataWithAValidBoundaryIsRead() throws {
        let body = form(field("message", "hello"))
        XCTAssertEqual(refusal([body], contentType: "application/x-www-form-urlencoded"), .notMultipart)
        XCTAssertEqual(refusal([body], contentType: "multipart/mixed; boundary=\(boundary)"), .notMultipart)
        XCTAssertThrowsError(try TipFormReader(contentType: nil, declaredLength: nil, limits: limits)) {
            XCTAssertEqual($0 as? TipFormError, .notMultipart)
        }
        XCTAssertEqual(TipFormError.notMultipart.status, .unsupportedMediaType)
        for contentType in [
            "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unterminated",
            "multipart/form-data; boundary=\(String(repeating: "b", count: 71))", "multipart/form-data; boundary=\"ends in space \"",
            "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=\"\u{7}bell\"",
        ] {
            XCTAssertEqual(refusal([body], contentType: contentType), .missingBoundary, contentType)
        }
        XCTAssertEqual(try read([body], contentType: "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"\(boundary)\""), "hello")
        let spaced = "with a space"
        let spacedBody = Array("--\(spaced)\r\nContent-Disposition: form-data; name=message\r\n\r\nhi\r\n--\(spaced)--".utf8)
        XCTAssertEqual(try read([spacedBody], contentType: "multipart/form-data; boundary=\"\(spaced)\""), "hi")
    }

    func testBrokenMultipartIsRefusedAsUnreadable() {
        let message = field("message", "hello")
        let cases: [(String, [UInt8])] = [
            ("no boundary at all", Array("hello".utf8)),
            ("a header line without a colon", form(part(["Content-Disposition form-data"], Array("x".utf8)))),
            ("a part without headers", form(part([], Array("x".utf8)))),
            ("a part that is not form-data", form(part(["Content-Disposition: attachment; name=\"message\""], Array("x".utf8)))),
            ("a field without a name", form(part(["Content-Disposition: form-data"], Array("x".utf8)))),
            ("an unterminated quote", form(part(["Content-Disposition: form-data; name=\"message"], Array("x".utf8)))),
            ("two dispositions", form(part(["Content-Disposition: form-data; name=\"message\"", "Content-Disposition: form-data; name=\"message\""], Array("x".utf8)))),
            ("two messages", form(message, message)),
            ("bytes after the closing boundary", form(message) + Array("epilogue".utf8)),
            ("no line break after a boundary", Array("--\(boundary)Content-Disposition: form-data; name=\"message\"\r\n\r\nx\r\n--\(boundary)--".utf8)),
            ("a header line of 20 KiB", form(part(["X-Padding: " + String(repeating: "p", count: 20 * 1024), "Content-Disposition: form-data; name=\"message\""], Array("x".utf8)))),
            ("a preamble", Array("This is the preamble.\r\n".utf8) + form(message)),
            ("a line break before the first boundary", Array("\r\n".utf8) + form(message)),
            ("an epilogue of 20 KiB", form(message) + Array(String(repeating: "e", count: 20 * 1024).utf8)),
        ]
        for (name, body) in cases {
            let error = refusal([body])
            XCTAssertEqual(error, refusal(body.map { [$0] }), "\(name): byte by byte")
            guard case .malformed = error else { XCTFail("\(name): \(String(describing: error))"); continue }
            XCTAssertEqual(error?.status, .badRequest, name)
            XCTAssertTrue(error?.message.englishText.hasPrefix("The form could not be read") ?? false, name)
        }
    }

    /// Each kind of broken body says what is wrong with it.
    func testBrokenMultipartSaysWhy() {
        let message = field("message", "hello")
        let cases: [([UInt8], String)] = [
            (Array("\r\n".utf8) + form(message), "it does not start with its boundary"),
            (form(message) + Array("epilogue".utf8), "the multipart encoding is broken"),
            (Array(form(message).dropLast(3)), "it ends before its closing boundary"),
            (form(part(["X-Padding: " + String(repeating: "p", count: 20 * 1024)], Array("x".utf8))), "a part's headers are too long"),
            (form(part([], Array("x".utf8))), "a part has no headers"),
            (form(part(["Content-Type: text/plain"], Array("x".utf8))), "a part is not a form field"),
            (form(part(["Content-Disposition: form-data; name=\"file\"; filename=\"\""], Array("x".utf8))),
             "a file part carries bytes but no file name"),
        ]
        for (body, reason) in cases {
            XCTAssertEqual(refusal([body]), .malformed(Message(reason)), reason)
        }
    }

    func testHeadersAreReadAsTheStandardSpellsThem() throws {
        let extraHeaders = part(["content-disposition: form-data; name=message", "Content-Type: text/plain; charset=utf-8"], Array("hi".utf8))
        XCTAssertEqual(try read([form(extraHeaders)]), "hi")
        XCTAssertEqual(try read([form(noFileChosen, field("message", "file field first"))]), "file field first")
        let utf8FileName = part(["Content-Disposition: form-data; name=\"file\"; filename=\"r\u{E9}sum\u{E9}.pdf\""], Array("%PDF".utf8))
        let submission = try TipForm.read([ByteBuffer(bytes: form(field("message", "see attached"), utf8FileName))], contentType: contentType, limits: limits)
        XCTAssertEqual(submission.attachments?.attachments, [.init(name: "r\u{E9}sum\u{E9}.pdf", size: 4)])
    }

    /// Wherever the body is cut, such a byte in a header name is the same clear refusal.
    func testAHeaderNameThatIsNotASCIIIsRefused() {
        let secondPart = Array("--\(boundary)\r\nContent-Type: a\r\n".utf8) + [0xF3] + Array(": x\r\n\r\n\r\n".utf8)
        let firstPart = part(["X-\u{E9}: 1", "Content-Disposition: form-data; name=\"message\""], Array("x".utf8))
        for body in [form(field("message", "x"), secondPart), form(firstPart)] {
            for cut in stride(from: 0, through: body.count, by: 7) {
                XCTAssertEqual(refusal([Array(body[..<cut]), Array(body[cut...])]),
                               .malformed(Message("a part's header name is not ASCII")), "cut at \(cut)")
            }
        }
    }

    func testAFieldTheFormDoesNotHaveIsRefused() {
        XCTAssertEqual(refusal([form(field("message", "hello"), field("subject", "seven words"))]), .unknownField)
        XCTAssertEqual(refusal([form(field("Message", "hello"))]), .unknownField)
    }

    /// The follow-up form's hidden field is held as sent, whatever the split, up to its cap and once.
    func testTheCodenameFieldIsHeldAsSentOnceAndCapped() throws {
        let typed = " Abacus  yo-yo\r\nzoom "
        let body = form(field("codename", typed), field("message", "more"), noFileChosen)
        for cut in [0, 50, 100, body.count] {
            let submission = try TipForm.read(
                [Array(body[..<cut]), Array(body[cut...])].map { ByteBuffer(bytes: $0) }, contentType: contentType, limits: limits)
            XCTAssertEqual(submission.codename?.bytes, Array(typed.utf8), "cut at \(cut)")
        }
        let without = try TipForm.read([ByteBuffer(bytes: form(field("message", "new")))], contentType: contentType, limits: limits)
        XCTAssertNil(without.codename, "no field: a new conversation")
        XCTAssertEqual(refusal([form(field("codename", String(repeating: "a", count: 513)), field("message", "x"))]), .codenameTooLong)
        XCTAssertNoThrow(try read([form(field("codename", String(repeating: "a", count: 512)), field("message", "x"))]))
        XCTAssertEqual(refusal([form(field("codename", "a"), field("codename", "b"), field("message", "x"))]),
                       .malformed(Message("it carries two codenames")))
    }

    func testTheSizesAreSpelledForPeople() {
        XCTAssertEqual(TipFormError.spelled(100 * 1024 * 1024).englishText, "100 MiB (104857600 bytes)")
        XCTAssertEqual(TipFormError.spelled(2_000_000).englishText, "about 2 MiB (2000000 bytes)")
        XCTAssertEqual(TipFormError.spelled(4096).englishText, "4 KiB (4096 bytes)")
        XCTAssertEqual(TipFormError.spelled(5000).englishText, "5000 bytes")
    }
}
