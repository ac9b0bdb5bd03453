import XCTest
@testable import Vault

/// The running ledger against the one built from the rows, and against the sum by hand.
final class StorageLedgerTests: XCTestCase {
    /// A fixed sequence, so that a failure repeats.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    func testTheRunningLedgerEqualsOneBuiltFromTheRows() {
        var random = SplitMix(state: 22)
        var ledger = StorageLedger(at: 1000)
        var secrets: [StorageCharge] = [], receipts: [StorageCharge] = []
        for step in 0..<5000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4:
                let secret = StorageCharge(
                    bytes: Int.random(in: 41...65_576, using: &random),
                    expiresMinute: ledger.minute + Int64.random(in: 1...200, using: &random))
                ledger.add(secret: secret)
                secrets.append(secret)
                let receipt = StorageCharge(bytes: 0, expiresMinute: 2 * secret.expiresMinute - ledger.minute)
                ledger.add(receipt: receipt)
                receipts.append(receipt)
            case 4..<6 where !secrets.isEmpty:
                ledger.remove(secret: secrets.remove(at: Int.random(in: secrets.indices, using: &random)))
            case 6 where !receipts.isEmpty:
                ledger.remove(receipt: receipts.remove(at: Int.random(in: receipts.indices, using: &random)))
            case 7:
                ledger.advance(to: ledger.minute + Int64.random(in: 0...3, using: &random))
            case 8:
                ledger.advance(to: ledger.minute + Int64.random(in: 150...1500, using: &random))
            default:
                break
            }
            let rebuilt = StorageLedger(secrets: secrets, receipts: receipts, at: ledger.minute)
            XCTAssertEqual(ledger, rebuilt, "step \(step)")
            let byHand = secrets.reduce(0) { $0 + $1.bytes * Int(max($1.expiresMinute - ledger.minute, 0)) }
                + receipts.reduce(0) { $0 + StorageLedger.receiptBytes * Int(max($1.expiresMinute - ledger.minute, 0)) }
            XCTAssertEqual(ledger.committed, byHand, "step \(step)")
            if ledger != rebuilt { return }
        }
    }

    func testAClockThatGoesBackChangesNothing() {
        var ledger = StorageLedger(at: 500)
        ledger.add(secret: StorageCharge(bytes: 100, expiresMinute: 510))
        let before = ledger
        ledger.advance(to: 400)
        XCTAssertEqual(ledger, before)
        ledger.advance(to: 505)
        XCTAssertEqual(ledger.committed, 500)
        ledger.advance(to: 520)
        XCTAssertEqual([ledger.committed, ledger.secrets, ledger.secretBytes], [0, 1, 100], "expired, not yet swept")
    }
}
