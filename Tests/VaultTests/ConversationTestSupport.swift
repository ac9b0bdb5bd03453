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

/// Every regular file in a data directory: the database and whatever SQLite keeps beside it.
func filesIn(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).map { directory + "/" + $0 }
}

/// Whether `pattern` occurs in any file of `directory`.
func anyFile(in directory: String, contains pattern: [UInt8]) throws -> Bool {
    try filesIn(directory).contains { try fileContains(pattern, at: $0) }
}
