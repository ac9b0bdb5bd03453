import MultipartKit
import NIOCore
import XCTest
@testable import Appliance

/// ``HeaderNameGuard`` against MultipartKit's parser alone: whatever the input and however it
/// is cut, the parser fed only the guard's parser runs, with the body runs handed straight to the
/// part, reports exactly what the parser fed every byte reports, and the guard refuses at the
/// same byte fed whole (the `memchr` path) as fed byte by byte (a step per byte).
final class HeaderNameGuardTests: XCTestCase {
    private let boundary = "b0und"

    /// What a parser reports, body bytes joined between other events.
    private enum Event: Equatable {
        case header(String, String)
        case body([UInt8])
        case partComplete
        case syntaxError
        case refusal(offset: Int, HeaderNameGuard.Refusal)
    }

    private final class Log {
        var events: [Event] = []

        func body(_ bytes: ByteBuffer) {
            guard bytes.readableBytes > 0 else { return }
            if case .body(let earlier) = events.last {
                events[events.count - 1] = .body(earlier + Array(bytes.readableBytesView))
            } else {
                events.append(.body(Array(bytes.readableBytesView)))
            }
        }

        func attach(to parser: MultipartParser) {
            parser.onHeader = { [unowned self] in self.events.append(.header($0, $1)) }
            parser.onBody = { [unowned self] in self.body($0) }
            parser.onPartComplete = { [unowned self] in self.events.append(.partComplete) }
        }
    }

    /// The guard and the parser as the tip form's reader drives them, over `pieces`.
    private func routed(_ pieces: [[UInt8]]) -> [Event] {
        let log = Log(), parser = MultipartParser(boundary: boundary)
        log.attach(to: parser)
        var guardian = HeaderNameGuard(boundary: boundary)
        var received = 0
        for piece in pieces {
            let buffer = ByteBuffer(bytes: piece)
            var offset = 0
            while offset < piece.count {
                let run = buffer.withUnsafeReadableBytes { guardian.next(in: $0, from: offset) }
                let end: Int
                switch run {
                case .parser(let runEnd):
                    XCTAssertGreaterThan(runEnd, offset, "an empty parser run")
                    end = runEnd
                case .body(let runEnd):
                    XCTAssertGreaterThan(runEnd, offset, "an empty body run")
                    log.body(buffer.getSlice(at: offset, length: runEnd - offset)!)
                    offset = runEnd
                    continue
                case .refusal(let at, _): end = at
                }
                do {
                    if end > offset { try parser.execute(buffer.getSlice(at: offset, length: end - offset)!) }
                } catch {
                    log.events.append(.syntaxError)
                    return log.events
                }
                if case .refusal(let at, let why) = run {
                    log.events.append(.refusal(offset: received + at, why))
                    return log.events
                }
                offset = end
            }
            received += piece.count
        }
        return log.events
    }

    /// The parser alone over every byte up to the guard's refusal (past it, it would trap).
    private func plain(_ bytes: [UInt8], refusal: Event?) -> [Event] {
        let log = Log(), parser = MultipartParser(boundary: boundary)
        log.attach(to: parser)
        var input = bytes
        if case .refusal(let offset, _) = refusal { input = Array(bytes[..<offset]) }
        do {
            try parser.execute(ByteBuffer(bytes: input))
        } catch {
            log.events.append(.syntaxError)
            return log.events
        }
        if let refusal { log.events.append(refusal) }
        return log.events
    }

    private func check(_ bytes: [UInt8], cuts: [Int], _ name: String) {
        let whole = routed([bytes])
        let refusal = whole.last.flatMap { if case .refusal = $0 { $0 } else { nil } }
        XCTAssertEqual(whole, plain(bytes, refusal: refusal), "\(name): against the parser alone")
        XCTAssertEqual(routed(bytes.map { [$0] }), whole, "\(name): byte by byte")
        var pieces: [[UInt8]] = [], start = 0
        for cut in cuts.sorted() where cut > start && cut < bytes.count {
            pieces.append(Array(bytes[start..<cut]))
            start = cut
        }
        pieces.append(Array(bytes[start...]))
        XCTAssertEqual(routed(pieces), whole, "\(name): cut at \(cuts.sorted())")
    }

    private var delimiter: [UInt8] { Array("\r\n--\(boundary)".utf8) }
    private var head: [UInt8] { Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".utf8) }

    func testAdversarialBodiesReadAsTheParserReadsThem() {
        let cases: [(String, [UInt8])] = [
            ("a form", head + Array("data".utf8) + delimiter + Array("--\r\n".utf8)),
            ("CRs and partial delimiters", head + Array("\r\r\n\r\n-\r\n--\r\n--b0un\r\n--b0unx\r\r\n--b0\r".utf8) + delimiter + Array("--".utf8)),
            ("a delimiter right after the headers", head + delimiter + Array("\r\n\r\nnext".utf8) + delimiter + Array("--".utf8)),
            ("a part without headers", Array("--\(boundary)\r\n\r\nbody\r".utf8) + delimiter + Array("\r\n\r\n".utf8)),
            ("the body ends in a cut delimiter", head + Array("x\r\n--b0u".utf8)),
            ("junk after a delimiter", head + Array("x".utf8) + delimiter + Array("junk".utf8)),
            ("an epilogue with delimiters", head + delimiter + Array("--\r\nafter".utf8) + delimiter + Array("\r\nX-Ä: y\r\n".utf8)),
            ("a header name that is not ASCII", Array("--\(boundary)\r\nX-Ä: y\r\n\r\n".utf8)),
            ("a second part's header name not ASCII", head + Array("ab\r".utf8) + delimiter + Array("\r\nNämé: x\r\n\r\n".utf8)),
            ("a preamble", Array("preamble".utf8) + delimiter + Array("\r\n\r\n".utf8)),
            ("a broken header line", Array("--\(boundary)\r\nName\r\r\n".utf8)),
            ("a value with a lone CR", Array("--\(boundary)\r\nA: b\rc\r\n\r\nx".utf8) + delimiter + Array("--".utf8)),
        ]
        for (name, bytes) in cases {
            check(bytes, cuts: [1, bytes.count / 3, bytes.count / 2, bytes.count - 2], name)
            for cut in 0...bytes.count { check(bytes, cuts: [cut], "\(name), one cut") }
        }
    }

    /// Bodies made of the fragments a parser is most easily confused by, in random order, with
    /// random bytes between them; the seed makes a failure repeatable.
    func testRandomBodiesReadAsTheParserReadsThem() {
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
