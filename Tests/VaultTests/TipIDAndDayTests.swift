import Glibc
import XCTest
@testable import Vault

final class TipIDAndDayTests: XCTestCase {
    func testTipIDTextIsLowercaseBase32AndStrict() {
        let ids = (0..<100).map { _ in TipID.random() }
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids {
            XCTAssertEqual(id.text.count, 26)
            XCTAssertTrue(id.text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains($0) })
            XCTAssertEqual(TipID(id.text), id)
            XCTAssertEqual(TipID(Substring(id.text)), id)
            XCTAssertEqual("\(id)", id.text)
        }
        let text = ids[0].text
        XCTAssertNil(TipID(text.uppercased()), "only the canonical lowercase spelling is an id")
        XCTAssertNil(TipID(String(text.dropLast())))
        XCTAssertNil(TipID(text + "a"))
        XCTAssertNil(TipID(String(repeating: "a", count: 52)), "a link token's length is not an id's")
        XCTAssertNil(TipID(String(repeating: "1", count: 26)))
        XCTAssertNil(TipID("../../../../etc/passwd/xxxx"))
        XCTAssertNil(TipID(""))
        // 26 characters carry 130 bits; the last character's two low bits must be zero.
        XCTAssertNil(TipID(String(repeating: "a", count: 25) + "b"))
        XCTAssertEqual(TipID(String(repeating: "a", count: 25) + "e")?.bytes.last, 1)
    }

    func testKnownDays() {
        XCTAssertEqual(UTCDay.text(0), "1970-01-01")
        XCTAssertEqual(UTCDay.text(-1), "1969-12-31")
        XCTAssertEqual(UTCDay.text(59), "1970-03-01")
        XCTAssertEqual(UTCDay.text(11_016), "2000-02-29", "2000 is a leap year")
        XCTAssertEqual(UTCDay.text(11_017), "2000-03-01")
        XCTAssertEqual(UTCDay.text(47_541), "2100-03-01", "2100 is not a leap year")
        XCTAssertEqual(UTCDay.text(19_723), "2024-01-01")
        XCTAssertEqual(UTCDay.text(20_088), "2024-12-31")
        XCTAssertEqual(UTCDay.text(2_932_896), "9999-12-31")
    }

    func testDaysAgreeWithTheCLibrary() {
        // Every day from 1900 to 2300, and seconds on both sides of each midnight.
        for day in Int64(-25_567)...Int64(120_000) {
            let midnight = day * UTCDay.secondsPerDay
            for second in [midnight, midnight + UTCDay.secondsPerDay - 1] {
                XCTAssertEqual(UTCDay.day(ofSecond: second), day)
                var seconds = time_t(second)
                var parts = tm()
                XCTAssertNotNil(gmtime_r(&seconds, &parts))
                let (year, month, dayOfMonth) = UTCDay.civil(day)
                guard year == Int64(parts.tm_year) + 1900, month == Int64(parts.tm_mon) + 1,
                      dayOfMonth == Int64(parts.tm_mday) else {
                    return XCTFail("day \(day): \(UTCDay.text(day)) but gmtime_r says \(parts.tm_year + 1900)-\(parts.tm_mon + 1)-\(parts.tm_mday)")
                }
            }
        }
        XCTAssertEqual(UTCDay.day(ofSecond: -1), -1)
    }
}
