internal import CSodium

/// The only time a secret or receipt row keeps in the clear: the whole hour (since the epoch)
/// from which the sweep may delete it.
///
/// It is the row's exact end rounded up to the hour, plus 0 or 1 hour drawn for each row on its
/// own, so that the secret and the receipt of one create do not share an hour by construction,
/// and rows ending in the same hour are spread over two. The exact end is sealed in the row; the
/// reveal and the receipt check that one, so a row past its end is unreadable however late its
/// sweep hour is.
enum SweepHour {
    static let secondsPerHour: Int64 = 3600

    /// The sweep hour for a row that must live until `second` (since the epoch).
    static func drawn(after second: Int64) -> Int64 {
        Sodium.ensureReady()
        return roundedUp(second) + Int64(randombytes_uniform(2))
    }

    /// The hour that `second` falls in, counted whole: rows whose sweep hour is at most this are due.
    static func current(_ second: Int64) -> Int64 {
        second >= 0 ? second / secondsPerHour : (second + 1) / secondsPerHour - 1
    }

    static func roundedUp(_ second: Int64) -> Int64 {
        -current(-second)
    }
}
