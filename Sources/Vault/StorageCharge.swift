/// One stored row as the quota sees it: the bytes it holds on disk and the minute it expires.
/// The tables hand these over for every row they insert or delete (and, summed per expiry
/// minute, for every row at open), read from what is stored: a secret's `length(sealed)`, not
/// its plaintext's length.
struct StorageCharge: Sendable, Equatable {
    let bytes: Int
    let expiresMinute: Int64
    /// Rows this charge stands for: 1, or more for the per-minute sums the tables answer at open.
    var rows = 1

    /// A row of a statement that answers `bytes` (and, for sums, `row_count`) beside
    /// `expires_minute`. An expiry past ``latestMinute`` (only a damaged row holds one) counts
    /// as that minute, so that a charge always fits in an integer.
    init?(_ row: SQLRow) {
        guard let expires = row.integer("expires_minute") else { return nil }
        self.init(
            bytes: Int(row.integer("bytes") ?? 0), expiresMinute: min(expires, Self.latestMinute),
            rows: Int(row.integer("row_count") ?? 1))
    }

    /// The year 6053, in minutes since the epoch.
    static let latestMinute = Int64(Int32.max)

    init(bytes: Int, expiresMinute: Int64, rows: Int = 1) {
        self.bytes = bytes
        self.expiresMinute = expiresMinute
        self.rows = rows
    }
}

/// A settled receipt's sweep hour comes forward (docs/decisions/0021), and with it the end of
/// its charge on the quota: the ledger takes the one away and adds the other.
struct ReceiptChargeMove: Sendable, Equatable {
    let from: StorageCharge
    let to: StorageCharge
}
