/// The quota's running totals (docs/decisions/0022): how many secrets and receipts are stored,
/// the secrets' bytes, and the storage budget in use, in byte-minutes: every row charges its
/// weight (a secret its stored bytes, a receipt ``receiptBytes``) for each minute it has left.
///
/// The budget in use falls by the weight of every live row each minute and drops a row's weight
/// at its expiry minute, so it is kept exactly without visiting the rows: ``advance(to:)``
/// moves the clock on, a minute at a time (or by a recount over the expiry minutes after a
/// long pause). Counts and bytes include expired rows until the sweep deletes them: they still
/// take room on disk. A ledger built at open from the rows equals the one kept while serving.
struct StorageLedger: Sendable, Equatable {
    /// What one receipt is charged, whatever it holds: a row of ids, a sealed share link (and a
    /// generated password), times and their index entries.
    static let receiptBytes = 256

    private(set) var secrets = 0
    private(set) var secretBytes = 0
    private(set) var receipts = 0
    /// Byte-minutes still to run: Σ weight × (expiry − ``minute``) over rows not yet expired.
    private(set) var committed = 0
    /// The minute the ledger stands at; it never goes back.
    private(set) var minute: Int64
    /// Σ weight over the rows not yet expired: what one minute takes off ``committed``.
    private var liveWeight = 0
    /// The weight of the rows not yet expired, by expiry minute.
    private var weightExpiring: [Int64: Int] = [:]

    init(at minute: Int64) {
        self.minute = minute
    }

    /// The ledger of stored rows, as the tables sum them per expiry minute.
    init(secrets: [StorageCharge], receipts: [StorageCharge], at minute: Int64) {
        self.init(at: minute)
        for charge in secrets { add(secret: charge) }
        for charge in receipts { add(receipt: charge) }
    }

    /// Moves the ledger on to `now`; a clock that went back leaves it where it is.
    mutating func advance(to now: Int64) {
        guard now > minute else { return }
        if now - minute > Int64(weightExpiring.count) {
            recount(at: now)
            return
        }
        for next in (minute + 1)...now {
            committed &-= liveWeight
            if let expiring = weightExpiring.removeValue(forKey: next) { liveWeight -= expiring }
        }
        minute = now
    }

    mutating func add(secret charge: StorageCharge) {
        secrets += charge.rows
        secretBytes += charge.bytes
        commit(charge.bytes, until: charge.expiresMinute)
    }

    mutating func remove(secret charge: StorageCharge) {
        secrets -= charge.rows
        secretBytes -= charge.bytes
        commit(-charge.bytes, until: charge.expiresMinute)
    }

    /// A receipt's charge is its count and expiry; the bytes it holds are not read.
    mutating func add(receipt charge: StorageCharge) {
        receipts += charge.rows
        commit(charge.rows * Self.receiptBytes, until: charge.expiresMinute)
    }

    mutating func remove(receipt charge: StorageCharge) {
        receipts -= charge.rows
        commit(-charge.rows * Self.receiptBytes, until: charge.expiresMinute)
    }

    /// What ``committed`` would become with a row of `weight` expiring at `expiresMinute` added.
    func committed(adding weight: Int, until expiresMinute: Int64) -> Int {
        committed &+ weight &* Int(max(expiresMinute - minute, 0))
    }

    /// Adds (or, negative, takes away) `weight` until `expiresMinute`; a row already expired
    /// charges no minutes. The arithmetic wraps rather than traps: what is added is taken away
    /// again exactly, so no stored row, however damaged, can stop the server.
    private mutating func commit(_ weight: Int, until expiresMinute: Int64) {
        guard expiresMinute > minute else { return }
        committed &+= weight &* Int(expiresMinute - minute)
        liveWeight += weight
        let remaining = weightExpiring[expiresMinute, default: 0] + weight
        weightExpiring[expiresMinute] = remaining == 0 ? nil : remaining
    }

    private mutating func recount(at now: Int64) {
        minute = now
        weightExpiring = weightExpiring.filter { $0.key > now }
        liveWeight = weightExpiring.values.reduce(0, +)
        committed = weightExpiring.reduce(0) { $0 &+ $1.value &* Int($1.key - now) }
    }
}
