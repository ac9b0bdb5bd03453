import XCTest
@testable import Appliance

/// The PROXY v1 line as HAProxy's specification spells it, and as tor writes it.
final class ProxyHeaderTests: XCTestCase {
    private func scan(_ text: String) -> ProxyHeader.Scan {
        ProxyHeader.scan(Array(text.utf8))
    }

    func testTorsLineNamesTheCircuitInTheLow32BitsOfTheSource() {
        // tor's own test vectors (export_hs_client_circuit_id): circuit 666, and UINT32_MAX.
        let line = "PROXY TCP6 fc00:dead:beef:4dad::0:29a ::1 666 80\r\n"
        guard case .complete(let header, let length) = scan(line) else { return XCTFail("\(scan(line))") }
        XCTAssertEqual(length, line.utf8.count)
        XCTAssertEqual(header, .tcp6(source: 0xfc00_dead_beef_4dad_0000_0000_0000_029a, destination: 1, sourcePort: 666, destinationPort: 80))
        XCTAssertEqual(header.circuit, .circuit(666))
        guard case .complete(let widest, _) = scan("PROXY TCP6 fc00:dead:beef:4dad::ffff:ffff ::1 65535 80\r\n") else { return XCTFail() }
        XCTAssertEqual(widest.circuit, .circuit(UInt32.max))
    }

    func testTCP4AndFullIPv6Forms() {
        XCTAssertEqual(scan("PROXY TCP4 192.168.0.1 10.0.0.255 56324 443\r\n"),
                       .complete(.tcp4(source: 0xC0A8_0001, destination: 0x0A00_00FF, sourcePort: 56324, destinationPort: 443), length: 45))
        let full = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"
        XCTAssertEqual(full.utf8.count, 104, "the longest TCP6 line of the specification")
        XCTAssertEqual(scan(full), .complete(.tcp6(source: .max, destination: .max, sourcePort: 65535, destinationPort: 65535), length: 104))
        XCTAssertEqual(scan("PROXY TCP6 :: 1:2:3:4:5:6:7:8 0 0\r\n"),
                       .complete(.tcp6(source: 0, destination: 0x0001_0002_0003_0004_0005_0006_0007_0008, sourcePort: 0, destinationPort: 0), length: 35))
        guard case .complete(let trailing, _) = scan("PROXY TCP6 1:: FC00::DEAD 1 2\r\n") else { return XCTFail() }
        XCTAssertEqual(trailing, .tcp6(source: 1 << 112, destination: 0xfc00 << 112 | 0xdead, sourcePort: 1, destinationPort: 2))
    }

    func testUnknownIgnoresTheRestOfItsLineAndNamesNoCircuit() {
        XCTAssertEqual(scan("PROXY UNKNOWN\r\n"), .complete(.unknown, length: 15))
        let worst = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"
        XCTAssertEqual(worst.utf8.count, ProxyHeader.maximumLength)
        XCTAssertEqual(scan(worst), .complete(.unknown, length: 107))
        XCTAssertEqual(ProxyHeader.unknown.circuit, .unidentified)
    }

    func testWhatFollowsTheLineIsNotPartOfIt() {
        XCTAssertEqual(scan("PROXY UNKNOWN\r\nGET / HTTP/1.1\r\n\r\n"), .complete(.unknown, length: 15))
    }

    func testAPartialLineWaitsForMore() {
        for prefix in ["", "P", "PROXY", "PROXY ", "PROXY TCP4 1.2.3.4", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r"] {
            XCTAssertEqual(scan(prefix), .incomplete, prefix)
        }
    }

    func testGarbageIsRefusedAtItsFirstByte() {
        for garbage in ["G", "GET / HTTP/1.1\r\n", "PROXX", "proxy ", "PROXY\r\n", "\r\n\r\n\0\r\nQUIT\n"] {
            XCTAssertEqual(scan(garbage), .invalid, garbage.debugDescription)
        }
    }

    func testALineWithoutItsCRLFWithin107BytesIsRefused() {
        let long = "PROXY UNKNOWN " + String(repeating: "f", count: 93)
        XCTAssertEqual(long.utf8.count, 107)
        XCTAssertEqual(scan(long), .invalid)
        XCTAssertEqual(scan(String(long.dropLast())), .incomplete)
        XCTAssertEqual(scan(String(long.dropLast()) + "\r"), .invalid, "its LF would be the 108th byte")
        XCTAssertEqual(scan(String(long.dropLast(2)) + "\r\n"), .complete(.unknown, length: 107))
    }

    func testABareCROrLFEndsNothing() {
        XCTAssertEqual(scan("PROXY UNKNOWN\n"), .invalid)
        XCTAssertEqual(scan("PROXY UNKNOWN\rX\n"), .invalid)
        XCTAssertEqual(scan("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n\r\n"), .invalid)
    }

    func testMalformedFieldsAreRefused() {
        let malformed = [
            "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",  // a port missing
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",  // one field too many
            "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n",  // two spaces
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",  // a trailing space
            "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",
            "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",  // a leading zero
            "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
            "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",
            "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",
            "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n",
            "PROXY TCP4 ::1 ::1 1 2\r\n",  // the family's address format, not another
            "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
            "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n",  // seven groups without '::'
            "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",
            "PROXY TCP6 1::2::3 ::1 1 2\r\n",  // two '::'
            "PROXY TCP6 1:2:3:4::5:6:7:8 ::1 1 2\r\n",  // '::' standing for nothing
            "PROXY TCP6 12345:: ::1 1 2\r\n",
            "PROXY TCP6 g:: ::1 1 2\r\n",
            "PROXY TCP6 :1:: ::1 1 2\r\n",
            "PROXY TCP6 ::ffff:1.2.3.4 ::1 1 2\r\n",
            "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
            "PROXY UNKNOWNX\r\n",
            "PROXY \r\n",
        ]
        for line in malformed {
            XCTAssertEqual(scan(line), .invalid, line.debugDescription)
        }
    }
}
