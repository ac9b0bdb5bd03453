import Age
import Hummingbird
import HummingbirdTesting
import Logging
import Vault
import XCTest
@testable import Appliance

/// A configuration with the inbox on and a real vault in a temporary folder, removed afterwards.
enum InboxTestSetup {
    struct Setup: Sendable {
        let configuration: ApplianceConfiguration
        let vault: Vault
        let identity: AgeIdentity
    }

    static func withVault(
        access: [(token: String, verifier: String)], adjusting adjust: (inout VaultConfiguration) -> Void = { _ in },
        _ body: (Setup) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-inbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let identity = AgeIdentity.generate()
        var configuration = ApplianceConfiguration()
        configuration.dataDirectory = directory
        configuration.inbox.recipients = [identity.recipient]
        configuration.inbox.listen = .tcp(host: "127.0.0.1", port: 8081)
        configuration.inbox.access = access.map { InboxAccess.Verifier($0.verifier)! }
        configuration = try configuration.validated()
        adjust(&configuration.vault)
        try await body(Setup(configuration: configuration, vault: try Vault(configuration: configuration.vault), identity: identity))
    }

    /// The journalists' application as `serve` assembles it, through the router test client.
    static func withInbox(
        access: [(token: String, verifier: String)], adjusting adjust: (inout VaultConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Vault) async throws -> Void
    ) async throws {
        try await withVault(access: access, adjusting: adjust) { setup in
            let application = InboxServer.application(
                listen: .tcp(host: "127.0.0.1", port: 8081), configuration: setup.configuration, vault: setup.vault,
                logger: Logger(label: "test"), onServerRunning: { _ in })
            try await application.test(.router) { client in try await body(client, setup.vault) }
        }
    }
}
