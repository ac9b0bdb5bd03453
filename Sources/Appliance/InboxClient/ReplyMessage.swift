import Age
import SmallFiles

/// The text of a reply, as the tipster's page will show it: UTF-8 as typed, no more than
/// ``maximumBytes`` (well inside the server's limit for the encrypted reply, whatever the
/// encryption adds), and not empty. It is encrypted here, on the journalist's machine; the
/// server only ever holds the age file.
struct ReplyMessage {
    static let maximumBytes = 64 << 10

    let bytes: [UInt8]

    /// `--message TEXT`.
    init(text: String) throws(InboxClientError) {
        guard text.utf8.count <= Self.maximumBytes else {
            throw InboxClientError("the message is larger than \(Self.maximumBytes >> 10) KiB")
        }
        try self.init(checked: text, from: "the message")
    }

    /// `--message-file FILE`.
    init(file path: String) throws(InboxClientError) {
        let text: String
        do {
            text = try TextFile.read(path, limit: Self.maximumBytes)
        } catch {
            throw InboxClientError("\(path): \(error)")
        }
        try self.init(checked: text, from: path)
    }

    private init(checked text: String, from source: String) throws(InboxClientError) {
        guard !text.trimmingWhitespace().isEmpty else { throw InboxClientError("\(source) is empty: there is nothing to reply") }
        bytes = Array(text.utf8)
    }

    /// One age file to `recipient`, the conversation's reply key.
    func encrypted(to recipient: AgeRecipient) throws(InboxClientError) -> [UInt8] {
        var encryptor: AgeEncryptor
        do {
            encryptor = try AgeEncryptor(recipients: [recipient])
        } catch {
            throw InboxClientError("the reply address's recipient: \(error)")
        }
        return encryptor.header + encryptor.consume(bytes) + encryptor.finish()
    }
}
