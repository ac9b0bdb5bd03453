import Glibc
import NIOCore

/// Plaintext of a tip that this process collects itself (the message), cleared when it is no
/// longer needed.
///
/// A growing Swift array moves to larger storage and frees the old one as it was; this grows by
/// copying into larger storage and clearing the old, and `wipe` clears the last, so no copy this
/// code made outlives the request. `explicit_bzero` is used because a plain overwrite of memory
/// about to be freed is a store the optimiser may drop. (The network's receive buffers are NIO's
/// and are not cleared here.)
struct PlaintextBytes: Sendable {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func append(_ buffer: ByteBuffer) {
        let needed = bytes.count + buffer.readableBytes
        if needed > bytes.capacity {
            var larger: [UInt8] = []
            larger.reserveCapacity(max(needed, 2 * bytes.capacity, 4096))
            larger.append(contentsOf: bytes)
            wipe()
            bytes = larger
        }
        bytes.append(contentsOf: buffer.readableBytesView)
    }

    /// Clears the bytes and forgets them.
    mutating func wipe() {
        Self.wipe(&bytes)
        bytes = []
    }

    /// Clears an array of plaintext this process made (a tar member) before it is released. Only
    /// storage the array holds alone is cleared: a copy shared with another array would be
    /// duplicated first, so plaintext is passed on, never copied into a second array.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { storage in
            if let base = storage.baseAddress { explicit_bzero(base, storage.count) }
        }
    }
}
