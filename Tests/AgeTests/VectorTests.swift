@testable import Age
import Testing

/// Every X25519 vector of the community age test suite, each its own test case.
@Suite struct VectorTests {
    static let names = (try? TestVector.all()) ?? []

    @Test func suiteIsPresent() {
        #expect(Self.names.count >= 140, "Tests/AgeTests/Vectors holds the C2SP CCTV age vectors")
    }

    @Test(arguments: names)
    func vector(_ name: String) throws {
        if TestVector.unsupportedPrefixes.contains(where: name.hasPrefix) {
            return  // armor, hybrid post-quantum and scrypt recipients are not part of Ashlink's age
        }
        let vector = try TestVector(named: name)
        let (outcome, released, detail) = Self.decrypt(vector)
        #expect(outcome == vector.expect, "\(name): \(detail)")
        if let hash = vector.payloadSHA256 {
            #expect(TestVector.sha256Hex(released) == hash, "\(name): released plaintext differs from the vector's payload")
        }
    }

    /// The outcome in the vectors' words, the plaintext released before it, and the error's text.
    static func decrypt(_ vector: TestVector) -> (outcome: String, released: [UInt8], detail: String) {
        var released: [UInt8] = []
        do throws(AgeError) {
            var decryptor = AgeDecryptor(identities: try vector.identities.map { identity throws(AgeError) in try AgeIdentity(identity) })
            // Odd piece sizes exercise every boundary of the streaming parser.
            var offset = 0
            while offset < vector.file.count {
                let end = min(offset + 4099, vector.file.count)
                released += try decryptor.consume(vector.file[offset..<end])
                offset = end
            }
            released += try decryptor.finish()
            return ("success", released, "")
        } catch {
            let outcome: String
            switch error {
            case .headerFailure: outcome = "header failure"
            case .noMatch: outcome = "no match"
            case .hmacFailure: outcome = "HMAC failure"
            case .payloadFailure: outcome = "payload failure"
            case .invalidKey: outcome = "invalid key"
            }
            return (outcome, released, "\(error)")
        }
    }

    @Test(arguments: names)
    func skippedByNameExactlyWhenUnsupported(_ name: String) throws {
        let vector = try TestVector(named: name)
        #expect(TestVector.unsupportedPrefixes.contains(where: name.hasPrefix) == vector.usesUnsupportedFeature, "\(name)")
    }
}
