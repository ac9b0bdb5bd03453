/// The PROXY protocol v1 line that tor's `HiddenServiceExportCircuitID haproxy` writes at the
/// start of every onion stream, as HAProxy's proxy-protocol.txt (section 2.1) defines it:
///
///     PROXY TCP4 <src> <dst> <srcport> <dstport>\r\n     dotted quads
///     PROXY TCP6 <src> <dst> <srcport> <dstport>\r\n     hex groups, at most one "::"
///     PROXY UNKNOWN[ anything]\r\n                       the sender does not know the addresses
///
/// Single spaces, decimal numbers without leading zeroes, ports up to 65535, the whole line at
/// most 107 bytes with its CRLF, which nothing but the final CRLF may contain. tor sends
/// `PROXY TCP6 fc00:dead:beef:4dad::<hi>:<lo> ::1 <port> <virtual port>`: the low 32 bits of
/// the source are the rendezvous circuit's id. Version 2 (binary) is not accepted.
enum ProxyHeader: Equatable, Sendable {
    case tcp4(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16)
    case tcp6(source: UInt128, destination: UInt128, sourcePort: UInt16, destinationPort: UInt16)
    case unknown

    /// The longest line the specification allows, CRLF included.
    static let maximumLength = 107

    enum Scan: Equatable {
        /// Well-formed so far; the CRLF has not arrived yet.
        case incomplete
        /// Not a v1 header, or one broken beyond repair: the connection is to be dropped.
        case invalid
        /// A header of `length` bytes (CRLF included); what follows is the client's.
        case complete(ProxyHeader, length: Int)
    }

    /// Looks at the first bytes of a connection. Garbage is refused as soon as it shows (the
    /// first byte that differs from `PROXY `), an unterminated line once it passes 107 bytes.
    static func scan(_ bytes: [UInt8]) -> Scan {
        for (byte, expected) in zip(bytes, signature) where byte != expected { return .invalid }
        let window = bytes.prefix(maximumLength)
        guard let lineEnd = window.firstIndex(where: { $0 == cr || $0 == lf }) else {
            return window.count == maximumLength ? .invalid : .incomplete
        }
        guard bytes[lineEnd] == cr, lineEnd + 2 <= maximumLength else { return .invalid }
        guard lineEnd + 1 < bytes.count else { return .incomplete }
        guard bytes[lineEnd + 1] == lf, lineEnd >= signature.count,
              let header = parse(bytes[signature.count..<lineEnd]) else { return .invalid }
        return .complete(header, length: lineEnd + 2)
    }

    /// The fields after `PROXY `, without the CRLF.
    private static func parse(_ fields: ArraySlice<UInt8>) -> ProxyHeader? {
        let parts = fields.split(separator: space, omittingEmptySubsequences: false)
        guard let family = parts.first else { return nil }
        if family.elementsEqual("UNKNOWN".utf8) { return .unknown }
        guard parts.count == 5, let sourcePort = port(parts[3]), let destinationPort = port(parts[4]) else { return nil }
        if family.elementsEqual("TCP4".utf8), let source = ipv4(parts[1]), let destination = ipv4(parts[2]) {
            return .tcp4(source: source, destination: destination, sourcePort: sourcePort, destinationPort: destinationPort)
        }
        if family.elementsEqual("TCP6".utf8), let source = ipv6(parts[1]), let destination = ipv6(parts[2]) {
            return .tcp6(source: source, destination: destination, sourcePort: sourcePort, destinationPort: destinationPort)
        }
        return nil
    }

    /// Who the connection is from, as far as fair shares go: tor's circuit id (the low 32 bits of
    /// a TCP6 source), an IPv4 source, or nobody in particular.
    var circuit: CircuitIdentity {
        switch self {
        case .tcp4(let source, _, _, _): .circuit(source)
        case .tcp6(let source, _, _, _): .circuit(UInt32(truncatingIfNeeded: source))
        case .unknown: .unidentified
        }
    }

    private static let signature = Array("PROXY ".utf8)
    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " ")

    /// A decimal from 0 to `limit`, 1 to `digits` digits, no leading zero.
    private static func decimal(_ text: ArraySlice<UInt8>, digits: Int, limit: Int) -> Int? {
        guard (1...digits).contains(text.count), text.allSatisfy({ (0x30...0x39).contains($0) }),
              text.count == 1 || text.first != 0x30 else { return nil }
        let value = text.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= limit ? value : nil
    }

    private static func port(_ text: ArraySlice<UInt8>) -> UInt16? {
        decimal(text, digits: 5, limit: 65535).map(UInt16.init)
    }

    private static func ipv4(_ text: ArraySlice<UInt8>) -> UInt32? {
        let octets = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard let value = decimal(octet, digits: 3, limit: 255) else { return nil }
            address = address << 8 | UInt32(value)
        }
        return address
    }

    /// Eight groups of 1 to 4 hex digits, or fewer around one `::` standing for the zeroes
    /// between; no embedded IPv4 form, no zone.
    private static func ipv6(_ text: ArraySlice<UInt8>) -> UInt128? {
        guard let gap = text.indices.dropLast().first(where: { text[$0] == colon && text[$0 + 1] == colon }) else {
            let all = text.split(separator: colon, omittingEmptySubsequences: false)
            return all.count == 8 ? groups(all) : nil
        }
        let head = text[..<gap], tail = text[(gap + 2)...]
        guard head.last != colon, tail.first != colon else { return nil }
        let before = head.isEmpty ? [] : head.split(separator: colon, omittingEmptySubsequences: false)
        let after = tail.isEmpty ? [] : tail.split(separator: colon, omittingEmptySubsequences: false)
        // A second "::" leaves an empty group in `after`, which `groups` refuses.
        guard before.count + after.count <= 7, let high = groups(before), let low = groups(after) else { return nil }
        return high << (16 * (8 - before.count)) | low
    }

    private static let colon = UInt8(ascii: ":")

    private static func groups(_ parts: [ArraySlice<UInt8>]) -> UInt128? {
        var value: UInt128 = 0
        for part in parts {
            guard (1...4).contains(part.count) else { return nil }
            var group: UInt128 = 0
            for byte in part {
                guard let digit = hexDigit(byte) else { return nil }
                group = group << 4 | UInt128(digit)
            }
            value = value << 16 | group
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
