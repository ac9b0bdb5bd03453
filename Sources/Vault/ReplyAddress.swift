import Age
import SmallFiles

/// Where a journalist's reply to a tip goes: the conversation's age recipient and its mailbox.
/// It travels only inside the encrypted tip, as the archive's ``fileName`` member, so the server
/// holds nothing that joins a tip to its conversation (docs/decisions/0015-conversations.md).
///
/// The file is text a journalist can read: a first line naming the format, a comment saying
/// what to do with it, then `key: value` lines. Readers skip `#` comments and blank lines and
/// refuse anything else they do not know, so a later version has to change the first line.
///
///     ashlink-reply-address-v1
///     # Reply with: ashlink inbox reply --tip <this tip's folder> --message-file <file>
///     recipient: age1…
///     mailbox: <52 characters of base32>
public struct ReplyAddress: Sendable, Equatable {
    public static let fileName = "reply-address.txt"
    static let formatLine = "ashlink-reply-address-v1"

    public let recipient: AgeRecipient
    public let mailbox: MailboxID

    public init(recipient: AgeRecipient, mailbox: MailboxID) {
        self.recipient = recipient
        self.mailbox = mailbox
    }

    public init(_ keys: ConversationKeys) {
        self.init(recipient: keys.recipient, mailbox: keys.mailbox)
    }

    /// The file's contents, as the tip's archive carries them.
    public var fileContents: String {
        """
        \(Self.formatLine)
        # Reply with: ashlink inbox reply --tip <this tip's folder> --message-file <file>
        recipient: \(recipient)
        mailbox: \(mailbox.text)

        """
    }

    /// Reads a file written by ``fileContents``; the error says which line is wrong.
    public init(parsing text: String) throws(ReplyAddressError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { String($0.trimmingWhitespace()) }[...]
        guard lines.first == Self.formatLine else { throw .notAReplyAddress }
        lines = lines.dropFirst()
        var recipient: AgeRecipient?, mailbox: MailboxID?
        for (offset, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let number = offset + 2
            let parts = line.split(separator: ":", maxSplits: 1).map { String($0.trimmingWhitespace()) }
            guard parts.count == 2 else { throw .malformedLine(number) }
            switch parts[0] {
            case "recipient" where recipient == nil:
                guard let parsed = try? AgeRecipient(parts[1]) else { throw .malformedLine(number) }
                recipient = parsed
            case "mailbox" where mailbox == nil:
                guard let parsed = MailboxID(parts[1]) else { throw .malformedLine(number) }
                mailbox = parsed
            default:
                throw .malformedLine(number)
            }
        }
        guard let recipient, let mailbox else { throw .incomplete }
        self.init(recipient: recipient, mailbox: mailbox)
    }
}

public enum ReplyAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAReplyAddress
    case malformedLine(Int)
    case incomplete

    public var description: String {
        switch self {
        case .notAReplyAddress: "it is not an Ashlink reply address (its first line is not \(ReplyAddress.formatLine))"
        case .malformedLine(let number): "line \(number) of the reply address is not a recipient or mailbox line"
        case .incomplete: "the reply address lacks its recipient or its mailbox line"
        }
    }
}
