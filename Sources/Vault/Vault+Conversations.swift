extension Vault {
    /// Derives what `codename` opens (its reply identity and mailbox) with this installation's
    /// salt: one Argon2id run, through the vault's ``Argon2Gate``.
    ///
    /// Anyone can ask for a codename check with nothing but a form, so this never queues without
    /// bound: it throws ``VaultError/busy`` when the gate refuses the run (a "busy, try again in
    /// a minute" page).
    ///
    /// Every well-formed codename opens a conversation, whether or not anyone was ever given it:
    /// an unknown codename costs the same and leads to an empty mailbox.
    public func conversationKeys(for codename: Codename) async throws -> ConversationKeys {
        let salt = codenameSalt
        return try await stretch { ConversationKeys(codename: codename, salt: salt) }
    }

}
