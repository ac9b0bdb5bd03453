import Age
import ArgumentParser

/// `ashlink inbox decrypt --identity FILE --output DIR TIP.age...`: each tip into `DIR/<id>/`
/// (`message.txt`, `attachments/…`), on the journalist's machine, with nothing of the server.
/// A tip that does not decrypt whole leaves nothing behind; the others are still decrypted, and
/// the exit status is 1 if any failed.
struct InboxDecrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt fetched tips into DIR/<id>/; a damaged tip leaves nothing behind.")

    @Option(name: .long, help: "The age identity file (from `ashlink inbox keygen` or age-keygen).")
    var identity: String

    @Option(name: .long, help: "The folder to decrypt into (it must exist).")
    var output: String

    @Argument(help: "The tip files (<id>.age) to decrypt.")
    var tips: [String]

    func validate() throws {
        guard !tips.isEmpty else { throw ValidationError("name at least one tip file (<id>.age)") }
    }

    func run() throws {
        let identities: [AgeIdentity]
        do {
            identities = try AgeIdentity.parseFile(try ConfigurationLoader.readTextFile(identity))
        } catch {
            throw Refusal("inbox decrypt: \(identity): \(error)")
        }
        let extraction = TipExtraction(identities: identities)
        var failures: [String] = []
        for tip in tips {
            do {
                print(try extraction.extract(tip, into: output))
            } catch {
                failures.append("\(error)")
            }
        }
        guard failures.isEmpty else {
            throw Refusal("inbox decrypt: " + failures.joined(separator: "; "))
        }
    }
}
