import ArgumentParser

/// `ashlink inbox …`: the journalists' side of the tip inbox. These commands need no server on
/// the machine they run on; `keygen` is meant for the offline machine that will decrypt tips.
struct Inbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The journalists' side of the tip inbox (needs no server on this machine).",
        subcommands: [InboxKeygen.self, InboxAccessToken.self, InboxFetch.self, InboxDecrypt.self, InboxReply.self])
}
