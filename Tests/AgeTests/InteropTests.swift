@testable import Age
import Foundation
import Testing

/// Both directions against Debian's `age` and `age-keygen` (`make test` installs them): what
/// Ashlink encrypts, age decrypts, and what age encrypts to an age-keygen key, Ashlink decrypts.
@Suite struct InteropTests {
    static let age = "/usr/bin/age", ageKeygen = "/usr/bin/age-keygen"

    static func run(_ tool: String, _ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(output))
    }

    static func scratchFile(_ contents: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-age-\(UUID().uuidString)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: [0, 100, 65536, 200_000])
    func ageDecryptsWhatAshlinkEncrypts(_ size: Int) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.age), "Debian's age is not installed (apt-get install age)")
        let identity = AgeIdentity.generate()
        let keyFile = try Self.scratchFile(identity.encoded + "\n")
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        let file = try RoundTripTests.encrypt(plaintext, to: [AgeRecipient.init(identity.recipient.description)], piece: 9000)
        let result = try Self.run(Self.age, ["-d", "-i", keyFile.path], input: file)
        #expect(result.status == 0)
        #expect(result.output == plaintext)
    }

    @Test func ashlinkDecryptsWhatAgeEncryptsToAnAgeKeygenKey() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.ageKeygen), "Debian's age is not installed (apt-get install age)")
        let generated = try Self.run(Self.ageKeygen, [])
        #expect(generated.status == 0)
        let identities = try AgeIdentity.parseFile(String(decoding: generated.output, as: UTF8.self))
        let plaintext = Array(repeating: Array("a tip for the newsroom\n".utf8), count: 5000).flatMap { $0 }
        let encrypted = try Self.run(Self.age, ["-r", identities[0].recipient.description], input: plaintext)
        #expect(encrypted.status == 0)
        #expect(try RoundTripTests.decrypt(encrypted.output, with: identities) == plaintext)
        let other = try Self.run(Self.age, ["-r", AgeIdentity.generate().recipient.description], input: plaintext)
        #expect(throws: AgeError.noMatch) { try RoundTripTests.decrypt(other.output, with: identities) }
    }
}
