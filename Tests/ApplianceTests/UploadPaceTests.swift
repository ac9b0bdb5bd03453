import NIOCore
import Translation
import XCTest
@testable import Appliance

/// The upload's own time limit and minimum rate, at their edges.
final class UploadPaceTests: XCTestCase {
    private let pace = UploadPace(timeoutSeconds: 600, minBytesPerSecond: 1000, graceSeconds: 60)

    func testWithinTheGraceAnyRateWillDo() throws {
        try pace.check(received: 0, elapsed: .seconds(60))
    }

    func testAfterTheGraceTheAverageRateCounts() throws {
        try pace.check(received: 61_000, elapsed: .seconds(61))
        XCTAssertThrowsError(try pace.check(received: 60_999, elapsed: .seconds(61))) { error in
            XCTAssertEqual(error as? TipFormError, .uploadTooSlow(pace))
        }
    }

    func testNoUploadOutlastsTheTimeLimitHoweverFast() throws {
        try pace.check(received: 1 << 40, elapsed: .seconds(600))
        XCTAssertThrowsError(try pace.check(received: 1 << 40, elapsed: .milliseconds(600_001)))
        let refusal = TipFormError.uploadTooSlow(pace)
        XCTAssertEqual(refusal.status, .requestTimeout)
        XCTAssertTrue(refusal.message.englishText.contains("at most 10 minutes") && refusal.message.englishText.contains("1000 bytes per second"), refusal.message.englishText)
    }

    func testTheFormReaderCutsOffATricklingBodyAtThePieceThatIsTooLate() async throws {
        let multipart = MultipartBody()
        let body = multipart.closed([multipart.file("slow.bin", Array(repeating: 7, count: 4000))])
        let pieces = stride(from: 0, to: body.count, by: 100).map { ByteBuffer(bytes: body[$0..<min($0 + 100, body.count)]) }
        let trickle = AsyncStream<ByteBuffer> { continuation in
            Task {
                for piece in pieces {
                    continuation.yield(piece)
                    try? await Task.sleep(for: .milliseconds(20))
                }
                continuation.finish()
            }
        }
        var limits = TipForm.Limits(maxTipBytes: 1 << 20)
        limits.pace = UploadPace(timeoutSeconds: 600, minBytesPerSecond: 1_000_000, graceSeconds: 0)
        var staged = 0
        do {
            _ = try await TipForm.read(
                trickle, contentType: multipart.contentType, declaredLength: nil, limits: limits,
                stage: { staged += $0.count })
            XCTFail("a body at 5 KB/s passes a minimum of 1 MB/s")
        } catch let error as TipFormError {
            XCTAssertEqual(error, .uploadTooSlow(limits.pace))
            XCTAssertEqual(error.status, .requestTimeout)
        }
        XCTAssertLessThan(staged, body.count / 2, "cut off early, not after the whole body")
    }
}
