import NIOCore
import XCTest
@testable import Appliance

/// ``MultipartParser`` over adversarial and random bodies: whatever the input, however it is
/// cut, it reports the same events and stops at the same error as when fed the body whole, and
/// what it reports is what the bytes say.
final class MultipartParserTests: XCTestCase {
    private let boundary = "b0und"

    /// What a parser reports, body bytes joined between other events.
    private enum Event: Equatable {
        case header(String, String)
        case bodyStart
        case body([UInt8])
        case partEnd
        case error(MultipartError)
        case complete
    }

    private func events(_ pieces: [[UInt8]], maxHeaderBytes: Int = 1024) -> [Event] {
        var parser = MultipartParser(boundary: boundary, maxHeaderBytes: maxHeaderBytes)
        var events: [Event] = []
        func add(_ event: MultipartEvent) {
            switch event {
            case .header(let name, let value): events.append(.header(name, value))
            case .bodyStart: events.append(.bodyStart)
            case .partEnd: events.append(.partEnd)
            case .body(let bytes):
                XCTAssertGreaterThan(bytes.readableBytes, 0, "an empty body event")
                if case .body(let earlier) = events.last {
                    events[events.count - 1] = .body(earlier + Array(bytes.readableBytesView))
                } else {
                    events.append(.body(Array(bytes.readableBytesView)))
                }
            }
        }
        do {
            for piece in pieces { try parser.consume(ByteBuffer(bytes: piece)) { add($0) } }
        } catch {
            events.append(.error(error))
            return events
        }
        if parser.isComplete { events.append(.complete) }
        return events
    }

    private func check(_ bytes: [UInt8], cuts: [Int], _ name: String) {
        let whole = events([bytes])
        XCTAssertEqual(events(bytes.map { [$0] }), whole, "\(name): byte by byte")
        var pieces: [[UInt8]] = [], start = 0
        for cut in cuts.sorted() where cut > start && cut < bytes.count {
            pieces.append(Array(bytes[start..<cut]))
            start = cut
        }
        pieces.append(Array(bytes[start...]))
        XCTAssertEqual(events(pieces), whole, "\(name): cut at \(cuts.sorted())")
    }

    private var delimiter: [UInt8] { Array("\r\n--\(boundary)".utf8) }
    private var head: [UInt8] { Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".utf8) }
    private let disposition = Event.header("Content-Disposition", "form-data; name=\"file\"; filename=\"a\"")

    func testBodiesReadAsTheirBytesSay() {
        let cases: [(String, [UInt8], [Event])] = [
            ("a form", head + Array("data".utf8) + delimiter + Array("--\r\n".utf8),
             [disposition, .bodyStart, .body(Array("data".utf8)), .partEnd, .complete]),
            ("CRs and partial delimiters", head + Array("\r\r\n\r\n-\r\n--\r\n--b0un\r\n--b0unx\r\r\n--b0\r".utf8) + delimiter + Array("--".utf8),
             [disposition, .bodyStart, .body(Array("\r\r\n\r\n-\r\n--\r\n--b0un\r\n--b0unx\r\r\n--b0\r".utf8)), .partEnd, .complete]),
            ("a delimiter right after the headers", head + delimiter + Array("\r\nA:  b \t\r\n\r\nnext".utf8) + delimiter + Array("--".utf8),
             [disposition, .bodyStart, .partEnd, .header("A", "b"), .bodyStart, .body(Array("next".utf8)), .partEnd, .complete]),
            ("a part without headers", Array("--\(boundary)\r\n\r\nbody\r".utf8) + delimiter + Array("--".utf8),
             [.bodyStart, .body(Array("body\r".utf8)), .partEnd, .complete]),
            ("the body ends in a cut delimiter", head + Array("x\r\n--b0u".utf8), [disposition, .bodyStart, .body(Array("x".utf8))]),
            ("junk after a delimiter", head + Array("x".utf8) + delimiter + Array("junk".utf8),
             [disposition, .bodyStart, .body(Array("x".utf8)), .partEnd, .error(.broken)]),
            ("an epilogue", head + delimiter + Array("--\r\nafter".utf8), [disposition, .bodyStart, .partEnd, .error(.broken)]),
            ("a closing delimiter and a lone CR", head + delimiter + Array("--\r".utf8), [disposition, .bodyStart, .partEnd]),
            ("a header name that is not ASCII", Array("--\(boundary)\r\nX-Ä: y\r\n\r\n".utf8), [.error(.headerNameNotASCII)]),
            ("a second part's header name not ASCII", head + Array("ab\r".utf8) + delimiter + Array("\r\nNämé: x\r\n\r\n".utf8),
             [disposition, .bodyStart, .body(Array("ab\r".utf8)), .partEnd, .error(.headerNameNotASCII)]),
            ("a preamble", Array("preamble".utf8) + delimiter + Array("\r\n\r\n".utf8), [.error(.doesNotStartWithBoundary)]),
            ("a line break first", delimiter + Array("\r\n\r\n".utf8), [.error(.doesNotStartWithBoundary)]),
            ("a header line without a colon", Array("--\(boundary)\r\nName\r\n".utf8), [.error(.broken)]),
            ("a header line that starts with a colon", Array("--\(boundary)\r\n: x\r\n".utf8), [.error(.broken)]),
            ("a value with a lone CR", Array("--\(boundary)\r\nA: b\rc\r\n\r\nx".utf8) + delimiter + Array("--".utf8), [.error(.broken)]),
            ("a lone LF", Array("--\(boundary)\nA: b\r\n\r\n".utf8), [.error(.broken)]),
            ("padding after the boundary", Array("--\(boundary) \r\n\r\n".utf8), [.error(.broken)]),
            ("a UTF-8 header value", Array("--\(boundary)\r\nA: r\u{E9}sum\u{E9}\r\n\r\n".utf8), [.header("A", "r\u{E9}sum\u{E9}"), .bodyStart]),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertEqual(events([bytes]), expected, name)
            check(bytes, cuts: [1, bytes.count / 3, bytes.count / 2, bytes.count - 2], name)
            for cut in 0...bytes.count { check(bytes, cuts: [cut], "\(name), one cut") }
        }
    }

    func testAPartsHeaderLinesAreBoundedTogether() {
        let line = Array("A: xxxxxxxx\r\n".utf8)
        let part = Array("--\(boundary)\r\n".utf8) + line + line + Array("\r\n".utf8)
        XCTAssertEqual(events([part], maxHeaderBytes: 2 * line.count + 2).last, .bodyStart)
        XCTAssertEqual(events([part], maxHeaderBytes: 2 * line.count + 1), [.header("A", "xxxxxxxx"), .header("A", "xxxxxxxx"), .error(.headersTooLong)])
        XCTAssertEqual(events([part], maxHeaderBytes: 2 * line.count - 1), [.header("A", "xxxxxxxx"), .error(.headersTooLong)])
        let endless = Array("--\(boundary)\r\nA: ".utf8) + [UInt8](repeating: 0x61, count: 5000)
        XCTAssertEqual(events([endless], maxHeaderBytes: 4096), [.error(.headersTooLong)])
    }

    /// Bodies made of the fragments a parser is most easily confused by, in random order, with
    /// random bytes between them; the seed makes a failure repeatable.
    func testRandomBodiesReadTheSameHoweverCut() {
        var random = SeededRandom(seed: 0x5EED_A5B1)
        let delimiter = self.delimiter
        let fragments: [[UInt8]] = [
            Array("\r".utf8), Array("\n".utf8), Array("\r\n".utf8), Array("-".utf8), Array(":".utf8), [0x80], [0xFF],
            delimiter, Array(delimiter.prefix(3)), Array(delimiter.prefix(6)), Array(delimiter.dropLast()),
            Array("Content-Disposition: form-data; name=\"file\"; filename=\"x\"".utf8), Array("\r\n\r\n".utf8),
        ]
        for round in 0..<300 {
            var bytes = head
            for _ in 0..<Int.random(in: 1...24, using: &random) {
                if Bool.random(using: &random) {
                    bytes += fragments.randomElement(using: &random)!
                } else {
                    bytes += (0..<Int.random(in: 1...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
            }
            let cuts = (0..<3).map { _ in Int.random(in: 0...bytes.count, using: &random) }
            check(bytes, cuts: cuts, "round \(round)")
        }
    }
}

/// xorshift64*: a repeatable stream for the random bodies.
private struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
