@testable import Appliance

/// tor's PROXY line at the start of a connection: whatever the bytes, and however they are cut
/// into reads, the scan gives one answer. A complete line ends at its first CRLF within 107
/// bytes, and the same line with the client's bytes after it scans the same; everything before
/// that point is "incomplete", and once a prefix is invalid, so is every longer one.
enum ProxyLineFuzz {
    static func run(_ bytes: [UInt8]) {
        let whole = ProxyHeader.scan(bytes)
        switch whole {
        case .complete(let header, let length):
            require(length <= ProxyHeader.maximumLength && length <= bytes.count, "a line of \(length) bytes")
            require(bytes[length - 2] == cr && bytes[length - 1] == lf, "a line that does not end in CRLF")
            require(!bytes[..<(length - 2)].contains(cr) && !bytes[..<(length - 2)].contains(lf), "a CR or LF inside a line")
            require(ProxyHeader.scan(Array(bytes[..<length]) + [0x47, 0x45, 0x54]) == .complete(header, length: length),
                    "the client's first bytes changed the line")
            for cut in 0..<length {
                require(ProxyHeader.scan(Array(bytes[..<cut])) == .incomplete, "a prefix of a line scans as finished")
            }
        case .invalid:
            require(ProxyHeader.scan(bytes + [cr, lf]) == .invalid, "an invalid start became valid")
        case .incomplete:
            require(bytes.count < ProxyHeader.maximumLength, "an unfinished line longer than the limit")
            require(!bytes.contains(lf), "a line feed left a line unfinished")
        }
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
}
