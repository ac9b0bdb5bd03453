import Age
import ArgumentParser

/// `ashlink inbox fetch --server URL --token-file FILE --output DIR [--socks HOST:PORT] [--identity FILE]`:
/// every waiting tip into `DIR/<id>.age`, each acknowledged (deleted on the server for every
/// journalist) only once its file is whole and synced; with `--identity` also decrypted into
/// `DIR/<id>/`. Run again after any interruption, it finishes the job.
struct InboxFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch every waiting tip into DIR/<id>.age, acknowledging each once it is safely on disk.")

    @OptionGroup var inbox: InboxServerOptions

    @Option(name: .long, help: "The folder for the tips (it must exist).")
    var output: String

    @Option(name: .long, help: "An age identity file: also decrypt each tip into DIR/<id>/.")
    var identity: String?

    func run() async throws {
        do {
            // Everything local is checked before the first request: a typo in a path must not
            // surface after tips have been acknowledged.
            let api = try inbox.client()
            let extraction = try identity.map { try TipExtraction(identities: Self.identities(in: $0)) }
            let folder = try OutputFolder(output)
            let outcome = try await TipFetch(api: api, extraction: extraction).run(into: folder)
            print("fetched \(outcome.fetched) \(outcome.fetched == 1 ? "tip" : "tips") into \(folder.path)")
            guard outcome.problems.isEmpty else { throw Refusal("inbox fetch: " + outcome.problems.joined(separator: "; ")) }
        } catch let error as InboxClientError {
            throw Refusal("inbox fetch: \(error)")
        }
    }

    private static func identities(in path: String) throws -> [AgeIdentity] {
        let text: String
        do {
            text = try ConfigurationLoader.readTextFile(path)
        } catch {
            throw InboxClientError("\(error)")
        }
        do {
            return try AgeIdentity.parseFile(text)
        } catch {
            throw InboxClientError("\(path): \(error)")
        }
    }
}
