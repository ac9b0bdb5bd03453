import Dispatch
import Synchronization
import XCTest
@testable import Vault

/// Guesses take their attempt before their Argon2 run: however many arrive together, no more than
/// `maxPassphraseAttempts` are checked, and the clock is read again once a run has waited.
final class PassphraseAttemptTests: XCTestCase {
    private let secret = Array("behind a passphrase".utf8)

    /// While the gate's slots are held, three wrong guesses wait with the only three attempts; the
    /// right passphrase, arriving fourth, is not checked at all, and is told so at once.
    func testAGuessBeyondTheAttemptsInFlightIsRefusedAtOnceWithoutARun() async throws {
        let vault = try makeVault {
            $0.maxPassphraseAttempts = 3
            $0.argon2Concurrency = 1
            $0.argon2MaxWaiting = 8
        }
        let created = try await vault.create(secret: secret, passphrase: "right", ttl: nil)
        let slot = try await hold(vault.argon2)
        let guesses = (0..<3).map { index in
            Task { try await vault.reveal(created.secretToken, passphrase: "wrong \(index)") }
        }
        let taken = try await eventually { try Self.attemptsTaken(of: created.secretToken, in: vault) == 3 }
        XCTAssertTrue(taken)

        do {
            _ = try await vault.reveal(created.secretToken, passphrase: "right")
            XCTFail("every attempt is taken by a guess in flight")
        } catch {
            XCTAssertEqual(error as? VaultError, .busy)
        }
        let waiting = await vault.argon2.waitingRuns
        XCTAssertEqual(waiting, 3, "the fourth guess never queued")

        slot.signal()
        var outcomes: [RevealOutcome] = []
        for guess in guesses { outcomes.append(try await guess.value) }
        XCTAssertEqual(outcomes.filter { $0 == .unavailable }.count, 1, "the guess with the last attempt burns it")
        XCTAssertTrue(outcomes.contains(.wrongPassphrase(attemptsLeft: 1)) && outcomes.contains(.wrongPassphrase(attemptsLeft: 2)), "\(outcomes)")
        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .burned)
    }

    func testManyConcurrentWrongGuessesNeverGetMoreThanTheLimit() async throws {
        let vault = try makeVault {
            $0.maxPassphraseAttempts = 4
            $0.argon2MaxWaiting = 64
        }
        let created = try await vault.create(secret: secret, passphrase: "right", ttl: nil)
        let outcomes = try await withThrowingTaskGroup(of: Result<RevealOutcome, VaultError>.self) { group in
            for index in 0..<24 {
                group.addTask {
                    do { return .success(try await vault.reveal(created.secretToken, passphrase: "wrong \(index)")) }
                    catch let error as VaultError { return .failure(error) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let checked = outcomes.filter { if case .success(.wrongPassphrase) = $0 { true } else { false } }.count
        XCTAssertEqual(checked, 3, "attempts 1 to 3 answer with what is left, the 4th burns")
        let refused = outcomes.filter { $0 == .failure(.busy) || $0 == .success(.unavailable) }.count
        XCTAssertEqual(refused, 21)
        let receipt = try await vault.receipt(created.receiptToken)
        XCTAssertEqual(receipt?.state, .burned)
    }

    /// A refused run gives its attempt back: the guess was never checked.
    func testARefusedRunGivesItsAttemptBack() async throws {
        let vault = try makeVault {
            $0.argon2Concurrency = 1
            $0.argon2MaxWaiting = 0
        }
        let created = try await vault.create(secret: secret, passphrase: "right", ttl: nil)
        let slot = try await hold(vault.argon2)
        do {
            _ = try await vault.reveal(created.secretToken, passphrase: "right")
            XCTFail("the only slot is held and nothing may wait")
        } catch {
            XCTAssertEqual(error as? VaultError, .busy)
        }
        XCTAssertEqual(try Self.attemptsTaken(of: created.secretToken, in: vault), 0)
        slot.signal()
        let secret = self.secret
        let opened = try await eventually { (try? await vault.reveal(created.secretToken, passphrase: "right")) == .revealed(secret) }
        XCTAssertTrue(opened)
    }

    /// A secret that expires while its guess waits for the gate does not open after its expiry.
    func testTheExpiryIsCheckedAfterTheWaitNotBefore() async throws {
        let clock = ManualClock()
        let vault = try makeVault(clock: clock) { $0.argon2Concurrency = 1 }
        let created = try await vault.create(secret: secret, passphrase: "right", ttl: 600)
        let slot = try await hold(vault.argon2)
        let guess = Task { try await vault.reveal(created.secretToken, passphrase: "right") }
        let queued = try await eventually { await vault.argon2.waitingRuns == 1 }
        XCTAssertTrue(queued)
        clock.advance(by: 700)
        slot.signal()
        let outcome = try await guess.value
        XCTAssertEqual(outcome, .unavailable)
    }

    // MARK: Helpers

    /// Takes one of the gate's slots until the returned semaphore is signalled.
    private func hold(_ gate: Argon2Gate) async throws -> DispatchSemaphore {
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        Task { try await gate.run { started.signal(); release.wait() } }
        await waitFor(started)
        addTeardownBlock { release.signal() }
        return release
    }

    /// The attempts counted in the secret's sealed header, opened with its token as the vault does.
    private static func attemptsTaken(of token: LinkToken, in vault: Vault) throws -> Int64 {
        let connection = try SQLiteConnection(path: vault.configuration.databasePath)
        return try SecretTable.find(DerivedKeys(token: token, purpose: .secret), in: connection)?.header.attemptsTaken ?? -1
    }
}
