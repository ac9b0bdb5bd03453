import Dispatch
import XCTest
@testable import Vault

/// What a copy of the database shows of secrets and receipts: rows of one shape, sealed values
/// of few lengths, and a quota that counts what is stored.
final class SealedRowShapeTests: XCTestCase {
    func testPassphraseAndPlainSecretRowsHaveTheSameShape() async throws {
        let vault = try makeVault()
        _ = try await vault.create(secret: Array("plain".utf8), passphrase: nil, ttl: 3600)
        let guarded = try await vault.create(secret: Array("guard".utf8), passphrase: "pw", ttl: 3600)
        _ = try await vault.reveal(guarded.secretToken, passphrase: "wrong")
        let shapes = try rows(
            "SELECT typeof(salt), length(salt), typeof(header), length(header), length(sealed) FROM secret", in: vault)
        XCTAssertEqual(shapes.count, 2)
        XCTAssertEqual(shapes[0], shapes[1], "a passphrase, or a wrong guess at one, shows in no column")
        XCTAssertEqual(shapes[0][0], .text("blob"), "every row has a salt")
    }

    func testSecretsOfThreeThirtyAndThreeHundredBytesAreStoredAlike() async throws {
        let vault = try makeVault()
        for size in [3, 30, 300, 1000] {
            _ = try await vault.create(secret: Array(repeating: 0x61, count: size), passphrase: nil, ttl: nil)
        }
        let lengths = Set(try rows("SELECT length(sealed) FROM secret", in: vault).map { $0[0] })
        XCTAssertEqual(lengths, [.integer(Int64(SealedPadding.smallestSecretClass + Seal.overhead))])
    }

    func testLargerSecretsFallIntoPadmeClassesAndOpenWhole() async throws {
        let vault = try makeVault()
        let sizes = [1500, 1501, 1510, 40_000, 40_100, 65_536]
        var tokens: [LinkToken] = []
        for size in sizes {
            tokens.append(try await vault.create(secret: Array(repeating: 0x62, count: size), passphrase: nil, ttl: nil).secretToken)
        }
        let lengths = try rows("SELECT length(sealed) FROM secret", in: vault).compactMap { $0[0].integer }
        XCTAssertEqual(Set(lengths).count, 3, "\(lengths)")
        for size in sizes {
            XCTAssertEqual(lengths.filter { Int($0) == SealedPadding.secretClass(size) + Seal.overhead }.count, sizes.filter {
                SealedPadding.secretClass($0) == SealedPadding.secretClass(size)
            }.count)
        }
        for (token, size) in zip(tokens, sizes) {
            let revealed = try await vault.reveal(token, passphrase: nil)
            XCTAssertEqual(revealed, .revealed(Array(repeating: 0x62, count: size)), "unpadded to its own length")
        }
    }

    func testTheQuotaCountsTheStoredPaddedBytes() async throws {
        let vault = try makeVault()
        _ = try await vault.create(secret: Array("short".utf8), passphrase: nil, ttl: nil)
        _ = try await vault.create(secret: Array(repeating: 1, count: 5000), passphrase: "pw", ttl: nil)
        let stored = try countRows("SELECT sum(length(sealed)) FROM secret", inDatabaseAt: vault.configuration.databasePath)
        XCTAssertEqual(vault.statistics.storedBytes, Int(stored))
        XCTAssertGreaterThan(stored, 5005)
        let reopened = try Vault(configuration: vault.configuration)
        XCTAssertEqual(reopened.statistics.storedBytes, Int(stored), "recounted from the stored lengths")
    }

    func testEveryReceiptRowHasOneShapeWhateverBecameOfItsSecret() async throws {
        let vault = try makeVault()
        _ = try await vault.create(secret: Array("unread".utf8), passphrase: nil, ttl: 600)
        _ = try await vault.create(secret: Array("guarded".utf8), passphrase: "pw", ttl: 86_400)
        _ = try await vault.create(secret: Array("Xk3pQ7mN2rTa".utf8), passphrase: nil, ttl: nil, keepSenderCopy: true)
        let read = try await vault.create(secret: Array(repeating: 7, count: 3000), passphrase: nil, ttl: nil)
        _ = try await vault.reveal(read.secretToken, passphrase: nil)
        let burned = try await vault.create(secret: Array("burned".utf8), passphrase: nil, ttl: nil)
        _ = try await vault.burn(receipt: burned.receiptToken)
        let shapes = Set(try rows("SELECT typeof(payload), length(payload), typeof(outcome), length(outcome) FROM receipt", in: vault))
        XCTAssertEqual(shapes, [[
            .text("blob"), .integer(Int64(ReceiptPayload.paddedLength + Seal.overhead)),
            .text("blob"), .integer(Int64(ReceiptOutcome.paddedLength + Seal.overhead)),
        ]])
    }

    func testAPlainSecretRevealsWithoutAnArgon2RunEvenNow() async throws {
        let vault = try makeVault {
            $0.argon2Concurrency = 1
            $0.argon2MaxWaiting = 0
        }
        let created = try await vault.create(secret: Array("no passphrase".utf8), passphrase: nil, ttl: nil)
        let slot = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        Task { try await vault.argon2.run { started.signal(); slot.wait() } }
        await waitFor(started)
        addTeardownBlock { slot.signal() }
        let preview = try await vault.preview(created.secretToken)
        XCTAssertEqual(preview?.passphraseRequired, false)
        let revealed = try await vault.reveal(created.secretToken, passphrase: nil)
        XCTAssertEqual(revealed, .revealed(Array("no passphrase".utf8)), "no slot was needed: its salt is never stretched")
    }

    func testPaddingRoundTripsAndRefusesBytesWithoutItsMarker() {
        for length in [0, 1, 15, 16, 100] {
            let plaintext = Array(repeating: UInt8(0x80), count: length)
            let padded = SealedPadding.padded(plaintext, to: 128)
            XCTAssertEqual(padded.count, 128)
            XCTAssertEqual(SealedPadding.unpadded(padded), plaintext)
        }
        XCTAssertNil(SealedPadding.unpadded(Array(repeating: 0, count: 64)))
        XCTAssertNil(SealedPadding.unpadded([]))
        XCTAssertEqual(SealedPadding.secretClass(1023), 1024)
        XCTAssertEqual(SealedPadding.secretClass(1024), 1088, "one byte more than the smallest class holds")
    }

    private func rows(_ sql: String, in vault: Vault) throws -> [[SQLValue]] {
        try SQLiteConnection(path: vault.configuration.databasePath).query(sql).map { Array($0) }
    }
}
