@testable import Age
import Testing

@Suite struct RoundTripTests {
    static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], piece: Int) throws -> [UInt8] {
        var encryptor = try AgeEncryptor(recipients: recipients)
        var file = encryptor.header
        var offset = 0
        while offset < plaintext.count {
            let end = min(offset + piece, plaintext.count)
            file += encryptor.consume(plaintext[offset..<end])
            offset = end
        }
        return file + encryptor.finish()
    }

    static func decrypt(_ file: [UInt8], with identities: [AgeIdentity], piece: Int = 1000) throws(AgeError) -> [UInt8] {
        var decryptor = AgeDecryptor(identities: identities)
        var plaintext: [UInt8] = []
        var offset = 0
        while offset < file.count {
            let end = min(offset + piece, file.count)
            plaintext += try decryptor.consume(file[offset..<end])
            offset = end
        }
        return plaintext + (try decryptor.finish())
    }

    @Test(arguments: [0, 1, 65535, 65536, 65537, 3 * 65536, 3 * 65536 + 17])
    func sizesAroundChunkBoundaries(_ size: Int) throws {
        let identity = AgeIdentity.generate()
        let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let file = try Self.encrypt(plaintext, to: [identity.recipient], piece: 7777)
        #expect(try Self.decrypt(file, with: [identity]) == plaintext)
        #expect(try Self.decrypt(file, with: [identity], piece: file.count) == plaintext)
    }

    @Test func anyRecipientDecrypts() throws {
        let first = AgeIdentity.generate(), second = AgeIdentity.generate()
        let file = try Self.encrypt(Array("to both".utf8), to: [first.recipient, second.recipient], piece: 3)
        #expect(try Self.decrypt(file, with: [second]) == Array("to both".utf8))
        #expect(try Self.decrypt(file, with: [first]) == Array("to both".utf8))
        #expect(throws: AgeError.noMatch) { try Self.decrypt(file, with: [AgeIdentity.generate()]) }
    }

    @Test func tamperingIsRefused() throws {
        let identity = AgeIdentity.generate()
        let file = try Self.encrypt(Array(repeating: 0x41, count: 70_000), to: [identity.recipient], piece: 70_000)
        let macStart = Header.macLineStart(in: file, from: 0)! + 4  // after "--- "
        var badMAC = file
        badMAC[macStart] = badMAC[macStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: AgeError.hmacFailure) { try Self.decrypt(badMAC, with: [identity]) }

        var badPayload = file
        badPayload[file.count - 5] ^= 1
        #expect(throws: AgeError.payloadFailure("the final chunk does not authenticate: truncated or altered")) {
            try Self.decrypt(badPayload, with: [identity])
        }
        for cut in [file.count - 1, file.count - 70_000 / 2, macStart + 60] {
            #expect(throws: (any Error).self, "cut at \(cut)") { try Self.decrypt(Array(file[..<cut]), with: [identity]) }
        }
    }

    /// 32 MiB through both directions in 1 MiB pieces: neither side ever holds more than its
    /// piece plus two chunks, whatever the file's size.
    @Test func streamingMemoryIsBounded() throws {
        let identity = AgeIdentity.generate()
        var encryptor = try AgeEncryptor(recipients: [identity.recipient])
        var decryptor = AgeDecryptor(identities: [identity])
        let piece = [UInt8](repeating: 0x5a, count: 1 << 20)
        var recovered = try decryptor.consume(encryptor.header).count
        for _ in 0..<32 {
            let sealed = encryptor.consume(piece)
            #expect(encryptor.pendingBytes <= PayloadStream.chunkBytes)
            recovered += try decryptor.consume(sealed).count
            #expect(decryptor.bufferedBytes <= 2 * PayloadStream.sealedChunkBytes)
        }
        recovered += try decryptor.consume(encryptor.finish()).count
        recovered += try decryptor.finish().count
        #expect(recovered == 32 << 20)
    }
}
