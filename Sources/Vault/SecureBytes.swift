internal import CSodium
import Synchronization

/// Key material in a libsodium guarded allocation: locked in memory, fenced by guard pages,
/// and zeroed when released.
///
/// Swift arrays can be copied by the runtime where we cannot see it; keys therefore live here
/// from derivation to use and never in an array.
public final class SecureBytes: @unchecked Sendable {
    public let count: Int
    private let pointer: UnsafeMutableRawPointer

    init(count: Int) {
        Sodium.ensureReady()
        if count == GuardedKeyPool.keyLength, let pooled = GuardedKeyPool.shared.take() {
            pointer = pooled
        } else {
            guard let fresh = sodium_malloc(count) else {
                fatalError("sodium_malloc(\(count)) failed: out of lockable memory")
            }
            pointer = fresh
        }
        self.count = count
    }

    /// Copies `bytes` (a key read out of a sealed payload) into a guarded allocation.
    convenience init(copying bytes: [UInt8]) {
        self.init(count: bytes.count)
        withUnsafeMutableBytes { $0.copyBytes(from: bytes) }
    }

    deinit {
        sodium_memzero(pointer, count)
        if count != GuardedKeyPool.keyLength || !GuardedKeyPool.shared.give(pointer) {
            sodium_free(pointer)
        }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    var base: UnsafePointer<UInt8> {
        UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self))
    }
}

/// Zeroed 32-byte guarded allocations kept for reuse.
///
/// Each `sodium_malloc` maps pages, fences them with `mprotect` and locks them; each `sodium_free`
/// undoes all of it, and every unmap or protection change interrupts the other threads to flush
/// their TLBs. Every request derives a key or two, so reusing a bounded number of allocations
/// (wiped before they come back) keeps the guard pages and the locking without that cost.
/// A create holds three keys at once and a reveal two: 256 cover some 80 requests in flight
/// (at 64, creates at 32 connections still mapped and unmapped one key in three), and they map
/// 4 MiB, inside `MemoryBudget.guardedAndScratchBytes`.
final class GuardedKeyPool: Sendable {
    static let keyLength = 32
    static let shared = GuardedKeyPool(capacity: 256)

    private let capacity: Int
    private let free: Mutex<[UnsafeMutableRawPointerBox]>

    private init(capacity: Int) {
        self.capacity = capacity
        self.free = Mutex([])
    }

    func take() -> UnsafeMutableRawPointer? {
        free.withLock { $0.popLast()?.pointer }
    }

    /// False when the pool is full: the caller frees the allocation itself.
    func give(_ pointer: UnsafeMutableRawPointer) -> Bool {
        free.withLock { free in
            guard free.count < capacity else { return false }
            free.append(UnsafeMutableRawPointerBox(pointer: pointer))
            return true
        }
    }
}

/// A raw pointer the pool may hand between threads: the pool owns it exclusively while it is free.
struct UnsafeMutableRawPointerBox: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
