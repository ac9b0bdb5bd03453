/// How much locked memory the server needs, so `doctor` and the start-up error can name a number.
///
/// After `mlockall(MCL_CURRENT | MCL_FUTURE)` the kernel charges every mapping's *virtual* size to
/// RLIMIT_MEMLOCK (also with MCL_ONFAULT: that saves RAM, not limit). The big items are address
/// space that is reserved but mostly untouched, so the number is far above the server's RSS.
/// A process holding CAP_IPC_LOCK (root, or systemd `AmbientCapabilities=CAP_IPC_LOCK`) is not
/// limited at all; the number matters only when the operator relies on `LimitMEMLOCK=` instead.
/// Derivation: docs/decisions/0005-privilege-drop-and-memory-lock.md.
public enum MemoryBudget {
    static let mebibyte = 1 << 20

    /// Executable image, Swift runtime, shared libraries, the main thread's 8 MiB stack, the main
    /// malloc arena and NIO's buffers. A static Hummingbird binary maps 30–80 MB; the rest is margin.
    public static let baseBytes = 256 * mebibyte

    /// glibc reserves 64 MiB of address space per extra malloc arena; `Confinement.prepareProcess`
    /// caps them at `mallocArenaLimit`.
    public static let mallocArenaBytes = 64 * mebibyte
    public static let mallocArenaLimit = 2

    /// Stack size `Confinement.prepareProcess` sets as the default for new threads (glibc's default
    /// follows `ulimit -s`, usually 8 MiB) and the thread count the budget allows for: NIO event
    /// loops and its thread pool, the Swift concurrency pool and libdispatch workers, each about
    /// one per core, plus Argon2 workers; 64 covers a 16-core box.
    public static let threadStackBytes = 4 * mebibyte
    public static let threadLimit = 64

    /// Argon2id at libsodium's MEMLIMIT_INTERACTIVE allocates 64 MiB per hash in progress.
    public static let argon2Bytes = 64 * mebibyte

    /// libsodium's guarded allocations (three extra pages each) and SQLite's scratch and WAL index.
    public static let guardedAndScratchBytes = 32 * mebibyte

    /// Recommended RLIMIT_MEMLOCK in bytes, rounded up to 64 MiB:
    /// base + arenas + thread stacks + Argon2 × concurrency + 2 × SQLite page cache + guarded/scratch.
    /// The page cache counts twice: SQLite's cache plus the kernel-visible copies in flight.
    public static func recommendedLockLimit(argon2Concurrency: Int, cacheKiB: Int) -> Int {
        let total = baseBytes
            + mallocArenaLimit * mallocArenaBytes
            + threadLimit * threadStackBytes
            + max(argon2Concurrency, 1) * argon2Bytes
            + 2 * max(cacheKiB, 0) * 1024
            + guardedAndScratchBytes
        let step = 64 * mebibyte
        return (total + step - 1) / step * step
    }

    /// The same number as systemd wants it, e.g. "LimitMEMLOCK=896M".
    public static func systemdSetting(argon2Concurrency: Int, cacheKiB: Int) -> String {
        "LimitMEMLOCK=\(recommendedLockLimit(argon2Concurrency: argon2Concurrency, cacheKiB: cacheKiB) / mebibyte)M"
    }
}
