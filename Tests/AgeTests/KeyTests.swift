@testable import Age
import Testing

@Suite struct KeyTests {
    /// The example pair of the age specification (C2SP age, "The X25519 recipient type").
    @Test func specificationExample() throws {
        let identity = try AgeIdentity("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(identity.recipient.description == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
        #expect(identity.encoded == "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(try AgeRecipient("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj") == identity.recipient)
    }

    @Test(arguments: [
        "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwq",  // checksum
        "Age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",  // mixed case
        "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnu",     // truncated
        "agf1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",  // prefix
        "age1 zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", // space
        "",
    ])
    func malformedRecipientsAreRefused(_ text: String) {
        #expect(throws: (any Error).self) { try AgeRecipient(text) }
    }

    @Test func identityFileAsAgeKeygenWritesIt() throws {
        let identity = AgeIdentity.generate()
        let file = "# created: 2026-12-01T00:00:00Z\n# public key: \(identity.recipient)\n\(identity.encoded)\n"
        let parsed = try AgeIdentity.parseFile(file)
        #expect(parsed.map(\.recipient) == [identity.recipient])
        #expect(throws: (any Error).self) { try AgeIdentity.parseFile("# only a comment\n") }
        #expect(throws: (any Error).self) { try AgeIdentity.parseFile("\(identity.encoded) trailing\n") }
    }

    @Test func uppercaseRecipientDecodesLowercaseIdentityRefused() throws {
        let identity = AgeIdentity.generate()
        #expect(try AgeRecipient(identity.recipient.description.uppercased()) == identity.recipient)
        #expect(throws: (any Error).self) { try AgeIdentity(identity.recipient.description) }
    }
}
