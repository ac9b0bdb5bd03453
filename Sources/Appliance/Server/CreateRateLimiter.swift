import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A global token bucket for creates.
///
/// Behind Tor every client arrives as the local tor daemon, so there is no per-client limit to
/// keep: the bucket bounds how fast anyone together can fill the vault. Reveals are not limited,
/// so a flood of creates never stops a recipient from reading a secret.
final class CreateRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let capacity: Double
    private let refillPerSecond: Double
    private let bucket: Mutex<Bucket>

    init(perMinute: Int) {
        capacity = Double(max(perMinute / 6, 1))
        refillPerSecond = Double(perMinute) / 60
        bucket = Mutex(Bucket(tokens: capacity, updated: Self.monotonicSeconds()))
    }

    func tryAcquire() -> Bool {
        let now = Self.monotonicSeconds()
        return bucket.withLock { bucket in
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * refillPerSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }

    private static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
