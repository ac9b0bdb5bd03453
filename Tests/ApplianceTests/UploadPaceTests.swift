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
        XCTAssertTrue(refusal.message.contains("at most 10 minutes") && refusal.message.contains("1000 bytes per second"), refusal.message)
    }
}
