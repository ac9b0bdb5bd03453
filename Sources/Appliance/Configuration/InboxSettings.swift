import Age
import Vault

/// The tip inbox's part of the configuration. The inbox is off unless `inbox_recipients` names
/// at least one age recipient: without one, `/tip` says so and no second listener opens.
struct InboxSettings: Sendable {
    /// Every tip is encrypted to all of these; their secret halves never touch the server.
    var recipients: [AgeRecipient] = []
    /// The journalists' listener, where the inbox API exists (and nowhere else).
    var listen: ListenAddress?
    /// Verifiers of the journalists' access tokens; the tokens themselves stay on their machines.
    var access: [InboxAccess.Verifier] = []
    /// The largest tip, attachments and form overhead included.
    var maxTipBytes = 100 * 1024 * 1024
    /// The quota: beyond either bound new tips are refused and nothing stored is dropped.
    var maxStoredBytes = 4 * 1024 * 1024 * 1024
    var maxTips = 1000
    /// How long an unread reply waits for its tipster.
    var replyTTLSeconds = 30 * 86400

    var isEnabled: Bool { !recipients.isEmpty }

    /// The checks that need more than one inbox key. A configured inbox must be fetchable:
    /// recipients without a listener and a journalist's access would collect tips nobody can
    /// collect, so that is refused at start rather than discovered weeks later.
    func validated(publicListener: ListenAddress) throws(ConfigurationError) {
        guard isEnabled else {
            if listen != nil || !access.isEmpty {
                throw .inconsistent("inbox_listen and inbox_access need inbox_recipients: without a recipient the inbox is off")
            }
            return
        }
        guard let listen else {
            throw .inconsistent("inbox_recipients is set but inbox_listen is not: journalists could not fetch the tips")
        }
        guard !access.isEmpty else {
            throw .inconsistent("inbox_recipients is set but inbox_access is not: no journalist could fetch the tips (see ashlink inbox access-token)")
        }
        guard listen != publicListener else {
            throw .inconsistent("inbox_listen must differ from listen: the inbox API must never be on the public onion")
        }
        guard maxStoredBytes >= maxTipBytes else {
            throw .inconsistent("inbox_max_stored_bytes (\(maxStoredBytes)) must be at least inbox_max_tip_bytes (\(maxTipBytes))")
        }
    }
}

extension ConfigFile {
    /// The inbox's keys, as DESIGN.md's "Configuration keys" lists them.
    static let inboxSettings: [String: Setting] = [
        "inbox_recipients": { configuration, value in configuration.inbox.recipients = try recipients(value) },
        "inbox_listen": { $0.inbox.listen = try ListenAddress(parsing: $1, key: "inbox_listen") },
        "inbox_access": { configuration, value in configuration.inbox.access = try accessVerifiers(value) },
        "inbox_max_tip_bytes": { $0.inbox.maxTipBytes = try integer("inbox_max_tip_bytes", $1, in: 4096...(4 << 30)) },
        "inbox_max_stored_bytes": { $0.inbox.maxStoredBytes = try integer("inbox_max_stored_bytes", $1, in: 4096...(1 << 44)) },
        "inbox_max_tips": { $0.inbox.maxTips = try integer("inbox_max_tips", $1, in: 1...10_000_000) },
        "reply_ttl": { $0.inbox.replyTTLSeconds = try integer("reply_ttl", $1, in: 3600...(365 * 86400)) },
    ]

    static func recipients(_ value: String) throws(ConfigurationError) -> [AgeRecipient] {
        var parsed: [AgeRecipient] = []
        for entry in commaSeparated(value) {
            do {
                parsed.append(try AgeRecipient(String(entry)))
            } catch {
                throw .invalid("inbox_recipients", String(entry), "not an age X25519 recipient (age1…, as age-keygen or ashlink inbox keygen print it): \(error)")
            }
        }
        guard !parsed.isEmpty else { throw .invalid("inbox_recipients", value, "needs at least one age1… recipient") }
        return parsed
    }

    static func accessVerifiers(_ value: String) throws(ConfigurationError) -> [InboxAccess.Verifier] {
        var parsed: [InboxAccess.Verifier] = []
        for entry in commaSeparated(value) {
            guard let verifier = InboxAccess.Verifier(entry) else {
                throw .invalid("inbox_access", String(entry), "not an access verifier as ashlink inbox access-token prints it (ashlink-access-v1-…); never put the token itself here")
            }
            parsed.append(verifier)
        }
        guard !parsed.isEmpty else { throw .invalid("inbox_access", value, "needs at least one verifier") }
        return parsed
    }

    private static func commaSeparated(_ value: String) -> [Substring] {
        value.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
