import Age
import XCTest
@testable import Vault

/// An age file of `plaintext` to `recipient`, as the journalists' CLI makes a reply.
func ageEncrypt(_ plaintext: [UInt8], to recipient: AgeRecipient) throws -> [UInt8] {
    var encryptor = try AgeEncryptor(recipients: [recipient])
    return encryptor.header + encryptor.consume(plaintext) + encryptor.finish()
}

/// The plaintext of a whole age file, as the tipster's replies page reads one.
func ageDecrypt(_ file: [UInt8], with identity: AgeIdentity) throws -> [UInt8] {
    var decryptor = AgeDecryptor(identities: [identity])
    return try decryptor.consume(file) + decryptor.finish()
}
