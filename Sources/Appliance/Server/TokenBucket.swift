#if canImport(Glibc)
import Glibc
#endif

/// A token bucket: `capacity` tokens at most, refilled at `refillPerSecond`. A value, so that a
/// table can hold one per circuit under one lock.
struct TokenBucket: Sendable {
    let capacity: Double
    let refillPerSecond: Double
    private var tokens: Double
    private var updated: Double

    /// A sixth of a minute's allowance may come at once, the rest at the steady rate.
    init(perMinute: Int, now: Double) {
        capacity = Double(max(perMinute / 6, 1))
        refillPerSecond = Double(perMinute) / 60
        tokens = capacity
        updated = now
    }

    mutating func refill(_ now: Double) {
        tokens = min(capacity, tokens + (now - updated) * refillPerSecond)
        updated = now
    }

    /// Whether a token is there now, without taking it.
    func hasToken(at now: Double) -> Bool {
        var copy = self
        copy.refill(now)
        return copy.tokens >= 1
    }

    mutating func tryTake(at now: Double) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Full again: the bucket is no different from a new one and need not be kept.
    func isFull(at now: Double) -> Bool {
        var copy = self
        copy.refill(now)
        return copy.tokens >= capacity
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
