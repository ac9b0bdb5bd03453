/// The fixed-width fields of a sealed payload (a secret's header, a receipt's payload and outcome),
/// written and read in order. Integers are 8 bytes, little-endian.
struct PayloadWriter {
    private(set) var bytes: [UInt8] = []

    mutating func integer(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func flag(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func raw(_ value: [UInt8]) {
        bytes.append(contentsOf: value)
    }

    /// Wipes what was written, for payloads holding keys or tokens.
    mutating func wipe() {
        Sodium.wipe(&bytes)
    }
}

/// Reads what a ``PayloadWriter`` wrote; every read answers nil past the end, so a payload of
/// the wrong shape (a damaged row) reads as nothing.
struct PayloadReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func integer() -> Int64? {
        guard let field = raw(8) else { return nil }
        return Int64(littleEndian: field.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
    }

    mutating func flag() -> Bool? {
        guard let field = raw(1), field[0] <= 1 else { return nil }
        return field[0] == 1
    }

    mutating func raw(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    var isAtEnd: Bool { offset == bytes.count }
}
