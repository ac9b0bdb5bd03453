import Synchronization

/// A staging's bytes in the process's own memory, which `mlockall` keeps out of swap: a vault
/// in ``VaultConfiguration/Durability/memory`` writes nothing to any file system, staged
/// attachments included. They are ciphertext, as in a ``StagingFile``, and they count in the
/// inbox's byte quota as they arrive, so stagings together never hold more than that quota
/// (``MemoryFootprint/stagingBytes``).
///
/// Writes are kept as the arrays they came in (a chunk or more each, but for the last), without
/// a copy; a read gathers the pieces it spans.
final class StagingMemory: StagingSpace {
    private struct Pieces {
        var pieces: [[UInt8]] = []
        /// Where each piece starts, in the same order.
        var starts: [Int] = []
        var length = 0
        var closed = false
    }

    private let state = Mutex(Pieces())

    func write(_ bytes: [UInt8], at offset: Int) async throws {
        try state.withLock { state throws(VaultError) in
            guard !state.closed else { throw .storage("the staging was used after it was closed") }
            guard offset == state.length else { throw .storage("a staging is written at its end only") }
            state.starts.append(state.length)
            state.pieces.append(bytes)
            state.length += bytes.count
        }
    }

    func read(count: Int, at offset: Int) async throws -> [UInt8] {
        try state.withLock { state throws(VaultError) in
            guard !state.closed else { throw .storage("the staging was used after it was closed") }
            guard offset >= 0, count >= 0, offset + count <= state.length else {
                throw .storage("the staging is shorter than what was written to it")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            // The last piece that starts at or before `offset`, then the ones after it.
            var index = (state.starts.lastIndex { $0 <= offset }) ?? 0
            while bytes.count < count {
                let piece = state.pieces[index]
                let from = offset + bytes.count - state.starts[index]
                let take = min(piece.count - from, count - bytes.count)
                bytes += piece[from..<(from + take)]
                index += 1
            }
            return bytes
        }
    }

    func close() async {
        state.withLock { $0 = Pieces(closed: true) }
    }
}
