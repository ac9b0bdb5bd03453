import CSodium

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
        guard let pointer = sodium_malloc(count) else {
            fatalError("sodium_malloc(\(count)) failed: out of lockable memory")
        }
        self.count = count
        self.pointer = pointer
    }

    deinit {
        sodium_free(pointer)
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
