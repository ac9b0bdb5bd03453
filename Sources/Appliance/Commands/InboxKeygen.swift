import Age
import ArgumentParser
import SmallFiles

/// `ashlink inbox keygen --output FILE`: a new age X25519 identity for the newsroom. The file is
/// what `age-keygen` writes (comments and one `AGE-SECRET-KEY-1…` line), so Debian's
/// `age -d -i FILE` decrypts tips with it; the recipient (`age1…`) is printed for
/// `inbox_recipients`. The file is created mode 0600 and never overwrites an existing one.
struct InboxKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an age identity file for decrypting tips; print its recipient (age1…) for inbox_recipients.")

    @Option(name: .long, help: "The identity file to create (mode 0600; an existing file is never replaced).")
    var output: String

    func run() throws {
        let identity = AgeIdentity.generate()
        let text = """
            # Ashlink tip inbox identity: decrypts the tips encrypted to the public key below.
            # Keep it on the machine that decrypts tips (ideally offline); the server never holds it.
            # public key: \(identity.recipient)
            \(identity.encoded)

            """
        do {
            try NewFile.create(output, contents: Array(text.utf8), mode: 0o600)
        } catch {
            throw Refusal("inbox keygen: \(output): \(error)")
        }
        print(identity.recipient)
    }
}
