import Synchronization
import XCTest
@testable import Vault

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000) {
        seconds = Mutex(start)
    }

    func advance(by delta: Int64) {
        seconds.withLock { $0 += delta }
    }

    var vaultClock: VaultClock {
        VaultClock { self.seconds.withLock { $0 } }
    }
}

/// A fresh data directory for one test, removed afterwards.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/ashlink-vault-test-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw POSIXError(.EIO) }
    return String(cString: path)
}

func removeDirectory(_ path: String) {
    _ = try? FileManager.default.removeItem(atPath: path)
}

extension XCTestCase {
    func makeVault(clock: ManualClock = ManualClock(), configure: (inout VaultConfiguration) -> Void = { _ in }) throws -> Vault {
        let directory = try makeTemporaryDirectory()
        addTeardownBlock { removeDirectory(directory) }
        var configuration = VaultConfiguration(directory: directory)
        configure(&configuration)
        return try Vault(configuration: configuration, clock: clock.vaultClock)
    }
}
