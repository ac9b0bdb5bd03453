import Age
import Vault

/// The tipster's side of a conversation's mailbox: a codename in, the newsroom's replies out,
/// each exactly once.
///
/// The codename's keys come through the vault's Argon2 gate (a full gate throws
/// ``VaultError/busy`` at once); the take deletes the replies in the same step that reads them,
/// so of two requests with one codename only one ever gets them. Each reply is an age file
/// encrypted by the journalist's CLI to the conversation's recipient; it is decrypted here with
/// the identity derived from the codename, which is wiped once the replies are open.
///
/// An unknown codename and a conversation without replies are one path: the same derivation,
/// a take that finds nothing, the same answer.
struct ReplyPickup: Sendable {
    let vault: Vault

    struct Replies: Sendable {
        /// The replies' text, oldest first.
        var texts: [String] = []
        /// Replies that did not open with the conversation's identity: deleted, never shown.
        var unreadable = 0
    }

    func take(_ codename: Codename) async throws -> Replies {
        let keys = try await vault.conversationKeys(for: codename)
        let sealed = try await vault.takeReplies(for: keys.mailbox)
        guard !sealed.isEmpty else { return Replies() }
        return keys.withIdentity { identity in
            var replies = Replies()
            for file in sealed {
                var decryptor = AgeDecryptor(identities: [identity])
                do {
                    let plaintext = try decryptor.consume(file) + decryptor.finish()
                    // The journalist's text as typed; the page escapes it.
                    replies.texts.append(String(decoding: plaintext, as: UTF8.self))
                } catch {
                    replies.unreadable += 1
                }
            }
            return replies
        }
    }
}
