/// One POSIX ustar header block (POSIX.1-2001 `pax`, "ustar Interchange Format"): the only header
/// the writer emits and the only one the reader accepts, because every tar since 1988 reads it
/// and it has no room for anything a tip should not carry (no pax times, no GNU extensions).
enum TarHeader {
    static let blockSize = 512
    static let regularFile = UInt8(ascii: "0")
    static let directory = UInt8(ascii: "5")
    /// The size field holds 11 octal digits.
    static let largestSize = 0o77777777777

    /// What the reader needs of a header; mode, owner and times are ignored on the way in.
    struct Parsed: Equatable {
        var name: String
        var size: Int
        var typeflag: UInt8
    }

    /// The zero bytes that bring `size` up to a whole number of blocks.
    static func padding(after size: Int) -> Int { (blockSize - size % blockSize) % blockSize }

    /// A header with mtime 0, uid and gid 0 and no user or group names: nothing of the server,
    /// its clock or the tip's arrival time. Names over 100 bytes are split at a `/` into the
    /// prefix field; `nil` when the name cannot be split to fit.
    static func encode(name: String, size: Int, typeflag: UInt8 = regularFile, mode: Int = 0o600) -> [UInt8]? {
        precondition((0...largestSize).contains(size), "a tar member holds at most 8 GiB")
        guard let (prefix, last) = split(Array(name.utf8)) else { return nil }
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: some Collection<UInt8>, at offset: Int) {
            block.replaceSubrange(offset..<offset + bytes.count, with: bytes)
        }
        put(last, at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)  // uid
        put(octal(0, width: 8), at: 116)  // gid
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)  // mtime
        block[156] = typeflag
        put("ustar\u{0}00".utf8, at: 257)
        put(octal(0, width: 8), at: 329)  // devmajor
        put(octal(0, width: 8), at: 337)  // devminor
        put(prefix, at: 345)
        put(octal(checksum(block), width: 7) + [UInt8(ascii: " ")], at: 148)
        return block
    }

    static func decode(_ block: ArraySlice<UInt8>) throws(TipArchiveError) -> Parsed {
        let block = Array(block)
        guard try number(block[148..<156], "checksum") == checksum(block) else { throw .badChecksum }
        guard block[257..<265].elementsEqual("ustar\u{0}00".utf8) else { throw .notUstar }
        let prefix = field(block[345..<500]), last = field(block[0..<100])
        let bytes = prefix.isEmpty ? Array(last) : prefix + [UInt8(ascii: "/")] + last
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw .unsafeName(String(decoding: bytes, as: UTF8.self))
        }
        return Parsed(name: name, size: try number(block[124..<136], "size"), typeflag: block[156])
    }

    /// POSIX: the sum of the header's bytes as unsigned numbers, the checksum field read as spaces.
    private static func checksum(_ block: [UInt8]) -> Int {
        block.indices.reduce(0) { sum, index in sum + Int((148..<156).contains(index) ? 0x20 : block[index]) }
    }

    /// `width - 1` zero-padded octal digits and a NUL, as GNU tar writes ustar numbers.
    private static func octal(_ value: Int, width: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 8).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits + [0]
    }

    /// An octal field: optional leading spaces, digits, then only NULs or spaces. GNU's base-256
    /// form (high bit set) is refused: a ustar writer never needs it for the sizes a tip has.
    private static func number(_ field: ArraySlice<UInt8>, _ what: String) throws(TipArchiveError) -> Int {
        let digits = field.drop(while: { $0 == 0x20 }).prefix(while: { (0x30...0x37).contains($0) })
        let rest = field.drop(while: { $0 == 0x20 }).dropFirst(digits.count)
        guard !digits.isEmpty, rest.allSatisfy({ $0 == 0 || $0 == 0x20 }) else {
            throw .malformedHeader("the \(what) field is not an octal number")
        }
        return digits.reduce(0) { $0 * 8 + Int($1 - 0x30) }
    }

    /// A string field: its bytes up to the first NUL, or all of them when it is full.
    private static func field(_ bytes: ArraySlice<UInt8>) -> [UInt8] { Array(bytes.prefix(while: { $0 != 0 })) }

    private static func split(_ name: [UInt8]) -> (prefix: [UInt8], last: [UInt8])? {
        if name.count <= 100 { return ([], name) }
        let slashes = name.indices.filter { name[$0] == UInt8(ascii: "/") }
        guard let cut = slashes.first(where: { $0 <= 155 && name.count - $0 - 1 <= 100 && $0 + 1 < name.count }) else {
            return nil
        }
        return (Array(name[..<cut]), Array(name[(cut + 1)...]))
    }
}
