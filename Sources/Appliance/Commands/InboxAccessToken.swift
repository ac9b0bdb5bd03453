import ArgumentParser
import SmallFiles
import Vault

/// `ashlink inbox access-token --output FILE`: a journalist's token for the inbox API, written
/// to FILE (mode 0600, never replacing a file) for `inbox fetch --token-file`; its verifier is
/// printed for the server's `inbox_access`. The server never holds the token itself.
struct InboxAccessToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-token",
        abstract: "Create a journalist's inbox access token file; print its verifier for inbox_access.")

    @Option(name: .long, help: "The token file to create (mode 0600; an existing file is never replaced).")
    var output: String

    func run() throws {
        let (token, verifier) = InboxAccess.generate()
        do {
            try NewFile.create(output, contents: Array((token + "\n").utf8), mode: 0o600)
        } catch {
            throw Refusal("inbox access-token: \(output): \(error)")
        }
        print(verifier)
    }
}
