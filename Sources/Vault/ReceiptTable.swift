/// Every statement the vault runs on the `receipt` table (schema step 6): one row per receipt,
/// keyed by a KDF output of the receipt token (``RowKey``). Every row has one shape: its key, a
/// payload and an outcome, both sealed at constant lengths, and its ``SweepHour``; see ``Schema``.
///
/// The payload (``ReceiptPayload``) is written once at create. The outcome (``ReceiptOutcome``)
/// is rewritten when the secret is read or burned, and the row's sweep hour then comes within
/// two hours: a settled receipt is soon forgotten, with the minute it was settled.
enum ReceiptTable {
    /// Stored receipt states; `expired` is never stored, it is computed from the clock.
    enum StoredState: Int64, Sendable {
        case new = 0
        case received = 1
        case burned = 2

        var secretState: SecretState {
            switch self {
            case .new: .new
            case .received: .received
            case .burned: .burned
            }
        }
    }

    /// A row whose payload and outcome both opened.
    struct Stored: Sendable {
        let payload: ReceiptPayload
        let outcome: ReceiptOutcome
        let sweepHour: Int64
    }

    static func insert(
        id: [UInt8], payload: [UInt8], outcome: [UInt8], sweepHour: Int64, in connection: SQLiteConnection
    ) throws {
        try connection.query(
            "INSERT INTO receipt (id, payload, outcome, sweep_hour) VALUES (?, ?, ?, ?)",
            [RowKey.value(id), .blob(payload), .blob(outcome), .integer(sweepHour)])
    }

    /// The row of `keys`, whatever its times; nil when there is none or it does not open (damaged,
    /// or another token's row under the same key).
    static func find(_ keys: DerivedKeys, outcomeKey: SecureBytes, in connection: SQLiteConnection) throws -> Stored? {
        guard let row = try connection.query(
                  "SELECT payload, outcome, sweep_hour FROM receipt WHERE id = ?", [RowKey.value(keys.rowID)]).first,
              let payload = row.blob("payload").flatMap({ ReceiptPayload(opening: $0, with: keys) }),
              let outcome = row.blob("outcome").flatMap({ ReceiptOutcome(opening: $0, with: outcomeKey, receiptID: keys.rowID) }),
              let sweepHour = row.integer("sweep_hour")
        else { return nil }
        return Stored(payload: payload, outcome: outcome, sweepHour: sweepHour)
    }

    /// Records that the secret was read or burned at `second`, and brings the row's sweep hour
    /// forward to the next whole hour after it, plus 0 or 1 drawn (never later than it was): the
    /// receipt is shown for up to two hours more, then forgotten. Answers how the row's charge on
    /// the quota moved; nil when there is no such row.
    static func settle(
        _ id: [UInt8], outcomeKey: SecureBytes, as state: StoredState, at second: Int64, in connection: SQLiteConnection
    ) throws -> ReceiptChargeMove? {
        guard let before = try connection.query("SELECT sweep_hour FROM receipt WHERE id = ?", [RowKey.value(id)])
            .first?.integer("sweep_hour") else { return nil }
        let after = min(before, SweepHour.drawn(after: second + 1))
        let outcome = ReceiptOutcome(state: state, minute: second / 60).sealed(with: outcomeKey, receiptID: id)
        try connection.query(
            "UPDATE receipt SET outcome = ?, sweep_hour = ? WHERE id = ?", [.blob(outcome), .integer(after), RowKey.value(id)])
        return ReceiptChargeMove(
            from: StorageCharge(bytes: 0, expiresMinute: before * 60), to: StorageCharge(bytes: 0, expiresMinute: after * 60))
    }

    /// Deletes every receipt whose sweep hour has come; answers what each charged the quota.
    /// Only the rows whose keys lie in `keys` are read (``RowKey/slices(_:)``).
    static func deleteDue(atHour hour: Int64, keys: ClosedRange<Int64>, in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query(
            "DELETE FROM receipt WHERE id BETWEEN ? AND ? AND sweep_hour <= ? RETURNING sweep_hour * 60 AS expires_minute",
            [.integer(keys.lowerBound), .integer(keys.upperBound), .integer(hour)]
        ).compactMap(StorageCharge.init)
    }

    /// Deletes up to `limit` receipts, expired or not, for a purge; answers how many went.
    static func deleteSome(_ limit: Int, in connection: SQLiteConnection) throws -> Int {
        try connection.query("DELETE FROM receipt WHERE id IN (SELECT id FROM receipt LIMIT ?)", [.integer(Int64(limit))])
        return connection.changes
    }

    /// What the quota counts, per sweep hour: every stored receipt until the sweep removes it.
    static func chargesByExpiry(in connection: SQLiteConnection) throws -> [StorageCharge] {
        try connection.query("SELECT sweep_hour * 60 AS expires_minute, count(*) AS row_count FROM receipt GROUP BY sweep_hour")
            .compactMap(StorageCharge.init)
    }
}
