import Dispatch
import Glibc
@testable import Vault

/// The vault's read path over damaged rows: one stored secret and its receipt get a column
/// replaced or bit-flipped by the input, then are revealed, inspected and burned. A damaged row
/// may open for nobody, but never yields anything but the original plaintext and link.
final class VaultFuzz: @unchecked Sendable {
    static let shared = VaultFuzz()

    private let vault: Vault
    private let tamper: SQLiteConnection
    private let plaintext = Array("fuzzed secret".utf8)

    private init() {
        var template = Array("/dev/shm/ashlink-fuzz-XXXXXX".utf8CString)
        let directory = String(cString: mkdtemp(&template)!)
        var configuration = VaultConfiguration(directory: directory)
        configuration.durability = .ephemeral
        configuration.maxSecrets = 1_000_000
        vault = try! Vault(configuration: configuration)
        tamper = try! SQLiteConnection(path: configuration.databasePath)
    }

    func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let payload = Array(bytes.dropFirst())
        let vault = self.vault
        let plaintext = self.plaintext
        let created = blocking { try await vault.create(secret: plaintext, passphrase: nil, ttl: nil) }
        let secretID = DerivedKeys(token: created.secretToken, purpose: .secret).rowID
        let receiptID = DerivedKeys(token: created.receiptToken, purpose: .receipt).rowID
        let (table, column, id) = [
            ("secret", "sealed", secretID), ("secret", "header", secretID), ("secret", "salt", secretID),
            ("receipt", "payload", receiptID), ("receipt", "outcome", receiptID),
        ][Int(selector % 5)]
        if selector & 0x80 != 0, let original = try! tamper.query("SELECT \(column) FROM \(table) WHERE id = ?", [.blob(id)]).first?.first?.blob,
           !original.isEmpty, !payload.isEmpty {
            var flipped = original
            for (offset, byte) in payload.enumerated() { flipped[(offset * 7 + Int(byte)) % flipped.count] ^= byte | 1 }
            try! tamper.query("UPDATE \(table) SET \(column) = ? WHERE id = ?", [.blob(flipped), .blob(id)])
        } else {
            try! tamper.query("UPDATE \(table) SET \(column) = ? WHERE id = ?", [.blob(payload), .blob(id)])
        }
        let receipt = blocking { try await vault.receipt(created.receiptToken) }
        if let token = receipt?.secretToken {
            require(token == created.secretToken, "a damaged receipt produced another link")
        }
        let outcome = blocking { try await vault.reveal(created.secretToken, passphrase: selector & 0x40 != 0 ? "guess" : nil) }
        if case .revealed(let value) = outcome {
            require(value == plaintext, "a damaged row revealed something else")
        }
        _ = blocking { try await vault.burn(receipt: created.receiptToken) }
        _ = blocking { try await vault.reveal(created.secretToken, passphrase: nil) }
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T {
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, any Error>!
        Task {
            do { result = .success(try await body()) } catch { result = .failure(error) }
            semaphore.signal()
        }
        semaphore.wait()
        return try! result.get()
    }
}
