extension Vault {
    /// Derives what `codename` opens (its reply identity and mailbox) with this installation's
    /// salt: one Argon2id run, through the vault's ``Argon2Gate``.
    ///
    /// Anyone can ask for a codename check with nothing but a form, so this never queues without
    /// bound: when every Argon2 slot is taken and `argon2MaxWaiting` runs already wait, it
    /// throws ``VaultError/busy`` at once (a "busy, try again in a minute" page).
    ///
    /// Every well-formed codename opens a conversation, whether or not anyone was ever given it:
    /// an unknown codename costs the same and leads to an empty mailbox.
    public func conversationKeys(for codename: Codename) async throws -> ConversationKeys {
        let salt = codenameSalt
        do {
            return try await argon2.tryRun { ConversationKeys(codename: codename, salt: salt) }
        } catch {
            counters.withLock { $0.refusedBusy += 1 }
            throw error
        }
    }
}
