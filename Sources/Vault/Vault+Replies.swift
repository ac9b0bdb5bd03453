extension Vault {
    /// Stores a reply for the tipster of `mailbox`, durably, for ``VaultConfiguration/replyTTL``.
    ///
    /// The reply is an age file that the journalist's CLI encrypted to the conversation's reply
    /// recipient; it is opaque here, and nothing on the server can open it. Throws
    /// ``VaultError/mailboxFull(limit:)`` when that mailbox already holds `maxRepliesPerMailbox`
    /// unread replies, ``VaultError/repliesFull`` when all unread replies fill
    /// `maxStoredReplyBytes`.
    public func storeReply(_ ciphertext: [UInt8], for mailbox: MailboxID) async throws {
        guard !ciphertext.isEmpty else { throw VaultError.emptyReply }
        guard ciphertext.count <= configuration.maxReplyBytes else {
            throw VaultError.replyTooLarge(limit: configuration.maxReplyBytes)
        }
        guard reserveReply(bytes: ciphertext.count) else { throw VaultError.repliesFull }
        let key = mailbox.storageKey, limit = configuration.maxRepliesPerMailbox
        // Live through the whole UTC day on which the TTL runs out: at least the TTL, at most a day more.
        let expiresDay = UTCDay.day(ofSecond: clock.now() + Int64(configuration.replyTTL)) + 1
        let stored: Bool
        do {
            stored = try await storeWrite {
                try ReplyTable.insert(mailbox: key, data: ciphertext, expiresDay: expiresDay, limit: limit, in: $0)
            }
        } catch {
            releaseReplies(count: 1, bytes: ciphertext.count)
            throw error
        }
        guard stored else {
            releaseReplies(count: 1, bytes: ciphertext.count)
            throw VaultError.mailboxFull(limit: limit)
        }
    }

    /// Every reply waiting in `mailbox`, oldest first, deleted in the same job that reads them
    /// and durably so before they are returned: of any number of concurrent calls for one
    /// mailbox, exactly one gets them and the others get none. Expired replies are deleted too,
    /// never returned.
    ///
    /// An unknown mailbox and an empty one answer the same, with the same work.
    ///
    /// After a take, the checkpoint that truncates the WAL removes the replies' bytes from both
    /// files, as for an acknowledged tip. Should it fail, the replies are still returned (they
    /// are already gone from the table, and the tipster would never see them otherwise); the
    /// next sweep checkpoints again.
    public func takeReplies(for mailbox: MailboxID) async throws -> [[UInt8]] {
        let key = mailbox.storageKey
        let today = UTCDay.day(ofSecond: clock.now())
        let taken = try await storeWrite { try ReplyTable.take(mailbox: key, today: today, in: $0) }
        guard taken.count > 0 else { return [] }
        releaseReplies(count: taken.count, bytes: taken.bytes)
        try? await storeRun { [store] _ in try store.checkpointAndTruncateWAL() }
        return taken.live
    }

    // MARK: Replies' quota

    /// Takes room for one reply of `bytes`, or answers false when there is none.
    private func reserveReply(bytes: Int) -> Bool {
        let limit = configuration.maxStoredReplyBytes
        return counters.withLock { totals in
            guard totals.storedReplyBytes + bytes <= limit else { return false }
            totals.storedReplies += 1
            totals.storedReplyBytes += bytes
            return true
        }
    }

    /// Gives back room for replies taken, swept, or never written.
    func releaseReplies(count: Int, bytes: Int) {
        counters.withLock { totals in
            totals.storedReplies -= count
            totals.storedReplyBytes -= bytes
        }
    }
}
