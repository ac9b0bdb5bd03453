import ArgumentParser

/// `ashlink inbox reply --server URL --token-file FILE --tip DIR/<id> (--message TEXT | --message-file F) [--socks HOST:PORT]`:
/// a reply to the tipster of a decrypted tip, encrypted here to the conversation's recipient in
/// the tip's `reply-address.txt` and posted to its mailbox. The tipster reads it once, with the
/// codename; the server never holds it in a form it could read.
struct InboxReply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Encrypt a reply for the tipster of a decrypted tip and post it to the inbox.")

    @OptionGroup var inbox: InboxServerOptions

    @Option(name: .long, help: "The decrypted tip's folder, DIR/<id> (it holds reply-address.txt).")
    var tip: String

    @Option(name: .long, help: "The reply's text.")
    var message: String?

    @Option(name: .customLong("message-file"), help: "A file with the reply's text (UTF-8, at most 64 KiB).")
    var messageFile: String?

    func validate() throws {
        guard (message == nil) != (messageFile == nil) else {
            throw ValidationError("give the reply with exactly one of --message TEXT and --message-file FILE")
        }
    }

    func run() async throws {
        do {
            // Everything local first: nothing is sent unless the whole reply can be.
            let api = try inbox.client()
            let destination = try TipReplyAddress(tip: tip)
            // validate() saw exactly one of the two.
            let text = if let messageFile { try ReplyMessage(file: messageFile) } else { try ReplyMessage(text: message ?? "") }
            try await api.postReply(try text.encrypted(to: destination.address.recipient), to: destination.address.mailbox)
            print("reply stored for \(destination.tip)")
        } catch let error as InboxClientError {
            throw Refusal("inbox reply: \(error)")
        }
    }
}
