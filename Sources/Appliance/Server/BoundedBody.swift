import Hummingbird
import NIOCore

/// Reads a short request body whole, bounded in size and in time.
///
/// The header timeout ends once the head is in, and the idle timeout only closes a connection
/// that sends nothing: without a time limit, one byte every few seconds would hold a connection
/// slot for as long as the client likes. A body of `limit` bytes must arrive within
/// ``graceSeconds`` plus the time ``minBytesPerSecond`` takes for `limit` bytes (about three
/// minutes for the forms' 256 KiB), checked at every piece; beyond it, 408. A tip's upload has
/// its own, larger budget (``UploadPace``).
enum BoundedBody {
    static let graceSeconds = 60
    static let minBytesPerSecond = 2048

    static func collect(_ request: Request, upTo limit: Int, graceSeconds: Int = graceSeconds) async throws -> ByteBuffer {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(graceSeconds) + .seconds(limit) / minBytesPerSecond
        var collected = ByteBuffer()
        for try await piece in request.body {
            guard clock.now <= deadline else { throw HTTPError(.requestTimeout) }
            guard piece.readableBytes <= limit - collected.readableBytes else { throw NIOTooManyBytesError(maxBytes: limit) }
            collected.writeImmutableBuffer(piece)
        }
        return collected
    }
}
