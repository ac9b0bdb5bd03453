/// Every statement the vault runs on the `receipt` table (schema step 5): one row per receipt,
/// keyed by a KDF output of the receipt token. Every row has one shape: its id, a payload and an
/// outcome, both sealed at constant lengths, and its ``SweepHour``; see ``Schema``.
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
            [.blob(id), .blob(payload), .blob(outcome), .integer(sweepHour)])
    }

    /// The row of `keys`, whatever its times; nil when there is none or it does not open.
    static func find(_ keys: DerivedKeys, outcomeKey: SecureBytes, in connection: SQLiteConnection) throws -> Stored? {
        guard let row = try connection.query(
                  "SELECT payload, outcome, sweep_hour FROM receipt WHERE id = ?", [.blob(keys.rowID)]).first,
              let payload = row.blob("payload").flatMap({ ReceiptPayload(opening: $0, with: keys) }),
              let outcome = row.blob("outcome").flatMap({ ReceiptOutcome(opening: $0, with: outcomeKey, receiptID: keys.rowID) }),
              let sweepHour = row.integer("sweep_hour")
        else { return nil }
        return Stored(payload: payload, outcome: outcome, sweepHour: sweepHour)
    }

    /// Records that the secret was read or burned at `second`, and brings the row's sweep hour
    /// forward to the next whole hour after it, plus 0 or 1 drawn (never later than it was): the
    /// receipt is shown for up to two hours more, then forgotten.
    static func settle(
        _ id: [UInt8], outcomeKey: SecureBytes, as state: StoredState, at second: Int64, in connection: SQLiteConnection
    ) throws {
        let outcome = ReceiptOutcome(state: state, minute: second / 60).sealed(with: outcomeKey, receiptID: id)
        try connection.query(
            "UPDATE receipt SET outcome = ?, sweep_hour = min(sweep_hour, ?) WHERE id = ?",
            [.blob(outcome), .integer(SweepHour.drawn(after: second + 1)), .blob(id)])
    }

    /// Deletes every receipt whose sweep hour has come.
    static func deleteDue(atHour hour: Int64, in connection: SQLiteConnection) throws {
        try connection.query("DELETE FROM receipt WHERE sweep_hour <= ?", [.integer(hour)])
    }
}
