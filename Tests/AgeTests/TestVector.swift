import CSodium
import CZlib
import Foundation

/// One file of the community age test suite (C2SP CCTV, format in Vectors/README.md): a textual
/// header of `key: value` lines, an empty line, then the age file, possibly zlib-compressed.
struct TestVector: Sendable, CustomStringConvertible {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    /// Features Ashlink does not implement; their vectors are skipped by these name prefixes.
    static let unsupportedPrefixes = ["armor_", "hybrid", "scrypt"]

    let name: String
    let expect: String
    let payloadSHA256: String?
    let identities: [String]
    let file: [UInt8]
    /// ASCII armor, a passphrase or a post-quantum identity: what `unsupportedPrefixes` covers.
    let usesUnsupportedFeature: Bool

    var description: String { name }

    static func all() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0 != "README.md" && $0 != "LICENSE" }.sorted()
    }

    init(named name: String) throws {
        let data = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        guard let split = (0..<(data.count - 1)).first(where: { data[$0] == 10 && data[$0 + 1] == 10 }) else {
            throw VectorError("\(name): no empty line after the header")
        }
        var fields: [(String, String)] = []
        for line in String(decoding: data[..<split], as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            fields.append((String(parts[0]), parts.count > 1 ? String(parts[1].dropFirst()) : ""))
        }
        self.name = name
        expect = fields.first { $0.0 == "expect" }?.1 ?? ""
        payloadSHA256 = fields.first { $0.0 == "payload" }?.1
        identities = fields.filter { $0.0 == "identity" }.map(\.1)
        usesUnsupportedFeature = fields.contains { $0 == ("armored", "yes") || $0.0 == "passphrase" }
            || identities.contains { $0.hasPrefix("AGE-SECRET-KEY-PQ-") } || expect == "armor failure"
        let body = Array(data[(split + 2)...])
        file = fields.contains { $0 == ("compressed", "zlib") } ? try Self.inflate(body) : body
    }

    private static func inflate(_ compressed: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32 << 20)
        var length = uLongf(output.count)
        guard uncompress(&output, &length, compressed, uLong(compressed.count)) == Z_OK else {
            throw VectorError("zlib: cannot inflate")
        }
        return Array(output[..<Int(length)])
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

struct VectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
