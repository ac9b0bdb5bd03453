import Vault

/// A tip's id as the inbox API names it: 16 random bytes in 26 lowercase base32 characters.
/// The client takes ids from the server and makes file names of them, so only this form gets
/// through: no dot, slash or other character that could lead outside the output folder.
struct InboxTipID: Sendable, Hashable, CustomStringConvertible {
    let text: String

    init?(_ text: some StringProtocol) {
        guard text.utf8.count == 26, let bytes = Base32.decode(text), bytes.count == 16 else { return nil }
        self.text = String(text)
    }

    var description: String { text }
}
