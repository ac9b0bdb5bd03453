/// Where a ``TipStaging`` keeps its bytes for the length of one request: written at its end,
/// read back at any offset, then closed. An unnamed file in the data directory
/// (``StagingFile``), or, for a vault that writes no file at all, the process's locked memory
/// (``StagingMemory``).
protocol StagingSpace: Sendable {
    /// Writes all of `bytes` at `offset`, which is where the previous write ended.
    func write(_ bytes: [UInt8], at offset: Int) async throws
    /// The `count` bytes at `offset`, all of which were written before.
    func read(count: Int, at offset: Int) async throws -> [UInt8]
    /// Frees every byte: nothing can read them any more.
    func close() async
}

extension StagingFile: StagingSpace {}
