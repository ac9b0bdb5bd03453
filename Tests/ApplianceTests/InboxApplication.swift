import Age
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Vault
import XCTest
@testable import Appliance

/// The whole appliance through Hummingbird's test client, on a real vault file in a folder of
/// its own: with the inbox on (tips encrypted to `recipient`), unless `inbox` is false.
func withInboxApplication(
    recipient: AgeRecipient,
    inbox: Bool = true,
    adjust: (inout ApplianceConfiguration) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, Vault) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-inbox-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = ApplianceConfiguration()
    configuration.dataDirectory = directory
    if inbox {
        configuration.inbox.recipients = [recipient]
        configuration.inbox.listen = .tcp(host: "127.0.0.1", port: 8081)
        configuration.inbox.access = [try XCTUnwrap(InboxAccess.Verifier(InboxAccess.generate().verifier))]
    }
    adjust(&configuration)
    configuration = try configuration.validated()
    let vault = try Vault(configuration: configuration.vault)
    let application = ApplianceServer.application(
        configuration: configuration, vault: vault, logger: Logger(label: "test"), onServerRunning: { _ in })
    try await application.test(.router) { client in try await body(client, vault) }
}
