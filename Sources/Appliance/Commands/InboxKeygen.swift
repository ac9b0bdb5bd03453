import Age
import ArgumentParser

/// `ashlink inbox keygen --output FILE`: a new age X25519 identity for the newsroom. The file is
/// what `age-keygen` writes (comments and one `AGE-SECRET-KEY-1…` line), so Debian's
/// `age -d -i FILE` decrypts tips with it; the recipient (`age1…`) is printed for
/// `inbox_recipients`. The file is created mode 0600 and never overwrites an existing one.
struct InboxKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an age identity file for decrypting tips; print its recipient (age1…) for inbox_recipients.")

    @OptionGroup var file: NewSecretFile

    func run() throws {
        let identity = AgeIdentity.generate()
        let text = """
            # Ashlink tip inbox identity: decrypts the tips encrypted to the public key below.
            # Keep it on the machine that decrypts tips (ideally offline); the server never holds it.
            # public key: \(identity.recipient)
            \(identity.encoded)

            """
        try file.create(text, for: "inbox keygen")
        print(identity.recipient)
    }
}
