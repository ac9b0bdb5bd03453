@testable import Age
import Testing

/// What a server that holds no identity can tell about an age file, and what it cannot.
@Suite struct AgeFileShapeTests {
    private static func file(_ plaintext: String, to recipients: [AgeRecipient] = [AgeIdentity.generate().recipient]) throws -> [UInt8] {
        try RoundTripTests.encrypt(Array(plaintext.utf8), to: recipients, piece: 1000)
    }

    private static func reason(_ bytes: [UInt8]) -> String? {
        do {
            try AgeFileShape.check(bytes)
            return nil
        } catch {
            return error.description
        }
    }

    /// The file with its X25519 stanza's type renamed to another of the same length.
    private static func renamingTheStanza(_ file: [UInt8]) -> [UInt8] {
        let type = Array("-> X25519".utf8)
        guard let start = file.indices.first(where: { file[$0...].starts(with: type) }) else { return file }
        var renamed = file
        renamed.replaceSubrange((start + 3)..<(start + type.count), with: "scrypt".utf8)
        return renamed
    }

    @Test func filesMadeByTheEncryptorPass() throws {
        #expect(Self.reason(try Self.file("")) == nil)
        #expect(Self.reason(try Self.file("a reply", to: [AgeIdentity.generate().recipient, AgeIdentity.generate().recipient])) == nil)
        #expect(Self.reason(try Self.file(String(repeating: "x", count: 70_000))) == nil)
    }

    @Test func aFileOnlyAnIdentityCouldJudgeStillPasses() throws {
        var altered = try Self.file("a reply")
        altered[altered.count - 1] ^= 1
        #expect(Self.reason(altered) == nil, "the payload is authenticated by the key, which the server never has")
    }

    @Test func whatNoIdentityCouldDecryptIsRefused() throws {
        let whole = try Self.file("a reply")
        let headerEnd = try #require(Header.macLineStart(in: whole, from: 0).flatMap { whole[$0...].firstIndex(of: 10) }) + 1
        let cases: [([UInt8], String)] = [
            (Array("a reply in plaintext\n".utf8), "no age-encryption.org/v1 line"),
            (Array("age-encryption.org/v1\n-> X25519 abc\n".utf8), "no MAC line"),
            (Array(whole[..<(headerEnd + 31)]), "ends before its payload"),
            (Array(whole[..<headerEnd]), "ends before its payload"),
            (Self.renamingTheStanza(whole), "no X25519"),
        ]
        for (bytes, expected) in cases {
            let reason = try #require(Self.reason(bytes))
            #expect(reason.contains(expected), "\(reason)")
        }
        #expect(Self.reason(Array(whole[..<(headerEnd + 32)])) == nil, "an empty final chunk is a whole payload")
    }
}
