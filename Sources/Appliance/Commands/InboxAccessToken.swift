import ArgumentParser
import Vault

/// `ashlink inbox access-token --output FILE`: a journalist's token for the inbox API, written
/// to FILE (mode 0600, never replacing a file) for `inbox fetch --token-file`; its verifier is
/// printed for the server's `inbox_access`. The server never holds the token itself.
struct InboxAccessToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-token",
        abstract: "Create a journalist's inbox access token file; print its verifier for inbox_access.")

    @OptionGroup var file: NewSecretFile

    func run() throws {
        let (token, verifier) = InboxAccess.generate()
        try file.create(token + "\n", for: "inbox access-token")
        print(verifier)
    }
}
