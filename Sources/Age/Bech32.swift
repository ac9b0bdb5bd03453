/// Bech32 (BIP 173) as age uses it: no length limit on the data part, all-lowercase or
/// all-uppercase, the checksum always computed over the lowercase string.
enum Bech32 {
    private static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    static func encode(humanReadablePart hrp: String, _ data: [UInt8]) -> String {
        let prefix = Array(hrp.lowercased().utf8)
        let values = regroup(data, from: 8, to: 5, pad: true)!
        let checksum = polymod(expand(prefix) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksumValues = (0..<6).map { UInt8((checksum >> (5 * (5 - UInt32($0)))) & 31) }
        let text = String(decoding: prefix + [UInt8(ascii: "1")] + (values + checksumValues).map { alphabet[Int($0)] }, as: UTF8.self)
        return hrp == hrp.uppercased() && hrp != hrp.lowercased() ? text.uppercased() : text
    }

    /// The human-readable part (lowercase) and the data, or nil for anything not valid Bech32.
    static func decode(_ text: String) -> (humanReadablePart: String, data: [UInt8])? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ (33...126).contains($0) }) else { return nil }
        let lower = text.lowercased(), upper = text.uppercased()
        guard text == lower || text == upper else { return nil }
        let characters = Array(lower.utf8)
        guard let separator = characters.lastIndex(of: UInt8(ascii: "1")), separator > 0,
              characters.count - separator - 1 >= 6 else { return nil }
        let prefix = Array(characters[..<separator])
        var values: [UInt8] = []
        for character in characters[(separator + 1)...] {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            values.append(UInt8(value))
        }
        guard polymod(expand(prefix) + values) == 1,
              let data = regroup(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
        return (String(decoding: prefix, as: UTF8.self), data)
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for (bit, term) in generator.enumerated() where (top >> UInt32(bit)) & 1 == 1 {
                checksum ^= term
            }
        }
        return checksum
    }

    private static func expand(_ prefix: [UInt8]) -> [UInt8] {
        prefix.map { $0 >> 5 } + [0] + prefix.map { $0 & 31 }
    }

    /// Regroups bits; without padding, leftover bits must be fewer than `from` and all zero.
    private static func regroup(_ input: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        var output: [UInt8] = []
        let mask = (1 << to) - 1
        for value in input {
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8((accumulator >> bits) & mask))
            }
        }
        if pad {
            if bits > 0 { output.append(UInt8((accumulator << (to - bits)) & mask)) }
        } else if bits >= from || (accumulator << (to - bits)) & mask != 0 {
            return nil
        }
        return output
    }
}
