import Age
import NIOCore
import Translation
import XCTest
@testable import Appliance

/// Attachments in the tip form's reader: their bytes leave it only sealed to the request's key,
/// with names made safe and sizes counted, whatever the network's cuts; the file count is capped.
final class TipAttachmentFormTests: XCTestCase {
    private let multipart = MultipartBody()
    private let limits = TipForm.Limits(maxTipBytes: 1024 * 1024, maxFiles: 3)

    private struct Read {
        var message: String
        var attachments: [StagedAttachments.Attachment]
        /// Every attachment's bytes, one after the other, as the staging decrypts.
        var staged: [UInt8]
        /// Ciphertext handed out, to compare with the plaintext sent.
        var sealed: [UInt8]
    }

    private func read(_ pieces: [[UInt8]], limits: TipForm.Limits? = nil) throws -> Read {
        var sealed: [UInt8] = []
        let submission = try TipForm.read(
            pieces.map { ByteBuffer(bytes: $0) }, contentType: multipart.contentType, limits: limits ?? self.limits,
            stage: { sealed += $0 })
        sealed += submission.lastSealed
        var staged: [UInt8] = []
        if let attachments = submission.attachments {
            var decryptor = AgeDecryptor(identities: [attachments.identity])
            staged = try decryptor.consume(sealed) + decryptor.finish()
        } else {
            XCTAssertEqual(sealed, [], "nothing is staged without a file")
        }
        return Read(
            message: String(decoding: submission.message.bytes, as: UTF8.self),
            attachments: submission.attachments?.attachments ?? [], staged: staged, sealed: sealed)
    }

    private func refusal(_ body: [UInt8], limits: TipForm.Limits? = nil) -> TipFormError? {
        do {
            _ = try read([body], limits: limits)
            XCTFail("accepted")
            return nil
        } catch let error as TipFormError {
            return error
        } catch {
            XCTFail("not a form refusal: \(error)")
            return nil
        }
    }

    private let document: [UInt8] = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }

    func testFilesArriveSealedWithSafeUniqueNamesAndTheirSizes() throws {
        let body = multipart.form(
            multipart.field("message", "see the files"), multipart.file("../../etc/report.pdf", document),
            multipart.file("/home/me/REPORT.pdf", Array("second".utf8)), multipart.file("empty.txt", []))
        let read = try read([body])
        XCTAssertEqual(read.message, "see the files")
        XCTAssertEqual(read.attachments, [
            .init(name: "report.pdf", size: document.count), .init(name: "REPORT-2.pdf", size: 6), .init(name: "empty.txt", size: 0),
        ])
        XCTAssertEqual(read.staged, document + Array("second".utf8))
        XCTAssertNil(read.sealed.firstRange(of: document[1000..<1032]), "the staged bytes are ciphertext")
    }

    func testEverySplitOfABodyWithFilesReadsTheSame() throws {
        let small = Array("%PDF-1.7\r\n--\r\n".utf8) + Array(multipart.boundary.utf8)
        let body = multipart.form(multipart.file("a.pdf", small), multipart.field("message", "after"), multipart.file("b", small))
        let whole = try read([body])
        XCTAssertEqual(whole.staged, small + small)
        for cut in 0...body.count {
            let split = try read([Array(body[..<cut]), Array(body[cut...])])
            XCTAssertEqual(split.attachments, whole.attachments, "cut at \(cut)")
            XCTAssertEqual(split.staged, whole.staged, "cut at \(cut)")
            XCTAssertEqual(split.message, "after", "cut at \(cut)")
        }
    }

    func testWithAFileTheMessageMayBeEmptyButNotWithout() throws {
        XCTAssertEqual(try read([multipart.form(multipart.field("message", ""), multipart.file("a", [1]))]).attachments.count, 1)
        XCTAssertEqual(try read([multipart.form(multipart.file("a", [1]))]).message, "")
        XCTAssertEqual(refusal(multipart.form(multipart.field("message", " "), multipart.noFileChosen)), .emptyMessage)
        XCTAssertEqual(refusal(multipart.form(multipart.field("message", "a"), multipart.file("a", [1]), multipart.field("message", "b")))?.status, .badRequest)
    }

    func testTheFileCountIsCappedAndEmptyFilePartsAreIgnoredUpToIt() throws {
        let files = (1...3).map { multipart.file("f\($0)", [UInt8($0)]) }
        XCTAssertEqual(try read([multipart.closed(files + [multipart.noFileChosen])]).attachments.count, 3)
        let tooMany = refusal(multipart.closed(files + [multipart.file("f4", [4])]))
        XCTAssertEqual(tooMany, .tooManyFiles(limit: 3))
        XCTAssertEqual(tooMany?.status, .contentTooLarge)
        XCTAssertTrue(tooMany?.message.englishText.contains("the limit is 3 files") ?? false)
        let emptyParts = [multipart.field("message", "x")] + Array(repeating: multipart.noFileChosen, count: 10_000)
        guard case .malformed = refusal(multipart.closed(emptyParts), limits: TipForm.Limits(maxTipBytes: 4 << 20)) else {
            return XCTFail("10,000 empty file parts were not refused")
        }
    }

    func testHostileFileNamesAreMadeSafe() throws {
        let names = ["../../../.bashrc", "a\u{0}b.txt", "invoice\u{202E}fdp.exe", String(repeating: "n", count: 10_000) + ".pdf", "..", " "]
        let read = try read([multipart.closed(names.map { multipart.file($0, [1]) })], limits: TipForm.Limits(maxTipBytes: 1 << 20, maxFiles: 10))
        let safe = read.attachments.map(\.name)
        XCTAssertEqual(Array(safe.prefix(3)), ["bashrc", "ab.txt", "invoicefdp.exe"])
        XCTAssertEqual(safe[3].utf8.count, 100)
        XCTAssertTrue(safe[3].hasSuffix(".pdf"))
        XCTAssertEqual(Array(safe.suffix(2)), ["attachment", "attachment-2"])
    }

    func testAFileBodyCutShortOrOverTheLimitIsRefused() {
        let body = multipart.form(multipart.field("message", "x"), multipart.file("a.bin", document))
        for length in stride(from: 0, to: body.count - 2, by: 997) {
            XCTAssertEqual(refusal(Array(body[..<length]))?.status, .badRequest, "length \(length)")
        }
        XCTAssertEqual(refusal(body, limits: TipForm.Limits(maxTipBytes: 64 * 1024)), .tipTooLarge(limit: 64 * 1024))
    }
}
