import ArgumentParser
import SmallFiles

/// `--output FILE` of the commands that make a journalist's key or token: created mode 0600 and
/// synced, never replacing an existing file (a newsroom's only key must not be lost to a typo).
struct NewSecretFile: ParsableArguments {
    @Option(name: .long, help: "The file to create (mode 0600; an existing file is never replaced).")
    var output: String

    func create(_ text: String, for command: String) throws {
        do {
            try NewFile.create(output, contents: Array(text.utf8), mode: 0o600)
        } catch {
            throw Refusal("\(command): \(output): \(error)")
        }
    }
}
