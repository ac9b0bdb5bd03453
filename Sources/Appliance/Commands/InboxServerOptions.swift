import ArgumentParser

/// `--server`, `--socks` and `--token-file`: how `inbox fetch` and `inbox reply` reach the inbox
/// and prove they may, parsed and checked the same way for both. Where the inbox is and how it
/// is reached are settled while the command line is parsed, before anything is read or sent.
struct InboxServerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The inbox: http://<inbox onion>.onion (with --socks), http://127.0.0.1:PORT or unix:/path.",
        transform: { text in try refusedAsInvalid { () throws(InboxServerAddress.Refused) in try InboxServerAddress(parsing: text) } })
    var server: InboxServerAddress

    @Option(
        name: .long,
        help: "tor's SOCKS port, e.g. 127.0.0.1:9050: the onion's name goes to tor, never to a resolver.",
        transform: { text in try refusedAsInvalid { () throws(InboxServerAddress.Refused) in try SOCKSProxyAddress(parsing: text) } })
    var socks: SOCKSProxyAddress?

    @Option(
        name: .customLong("token-file"),
        help: "The access token file from `ashlink inbox access-token`; refused if other accounts may read it (chmod 600).")
    var tokenFile: String

    func validate() throws {
        do {
            _ = try InboxConnection(server: server, socks: socks)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The API client, once the token file has been read and found private.
    func client() throws(InboxClientError) -> InboxAPIClient {
        let token = try AccessTokenFile.read(tokenFile)
        do {
            return InboxAPIClient(connection: try InboxConnection(server: server, socks: socks), token: token)
        } catch {
            throw InboxClientError(error.description)
        }
    }

    /// Parsing refusals as argument-parser's own, so they name the option and the value given.
    private static func refusedAsInvalid<Value>(_ parse: () throws(InboxServerAddress.Refused) -> Value) throws -> Value {
        do throws(InboxServerAddress.Refused) { return try parse() } catch { throw ValidationError(error.description) }
    }
}
