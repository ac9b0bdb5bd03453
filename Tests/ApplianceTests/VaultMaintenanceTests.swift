import Foundation
import Logging
import Synchronization
import Vault
import XCTest
@testable import Appliance

/// The log says nothing per sweep: "swept N" each minute would date every expiry to the minute
/// and keep it in the journal. Expiries are counted in the periodic aggregate line only.
final class VaultMaintenanceTests: XCTestCase {
    func testSweepsLogNothingAndTheAggregateLineCountsWhatExpired() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-maintenance-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = Mutex<Int64>(1_800_000_000)
        let vault = try Vault(configuration: VaultConfiguration(directory: directory), clock: VaultClock { now.withLock { $0 } })
        for _ in 0..<3 { _ = try await vault.create(secret: Array("soon gone".utf8), passphrase: nil, ttl: 600) }
        now.withLock { $0 += 3 * 3600 }  // past every sweep hour (an end rounded up, plus up to one)

        let lines = LogLines()
        let maintenance = VaultMaintenance(
            vault: vault, sweepInterval: .milliseconds(20), statsInterval: .milliseconds(100),
            logger: Logger(label: "test") { _ in lines })
        let running = Task { try await maintenance.run() }
        defer { running.cancel() }
        for _ in 0..<500 where !lines.all.contains(where: { $0.contains("expired=") }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        running.cancel()
        let logged = lines.all
        XCTAssertEqual(vault.statistics.stored, 0, "the sweep ran")
        XCTAssertTrue(logged.contains { $0.contains("expired=3") && $0.contains("stored=0") }, "\(logged)")
        XCTAssertFalse(logged.contains { $0.contains("swept") }, "\(logged)")
    }
}

/// Collects what is logged, as text.
private final class LogLines: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.message)") }
    }

    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
}
