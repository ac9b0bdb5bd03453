import NIOCore
import NIOHTTP1

/// One answer of the inbox API, read as it arrives: the head first, then the body piece by
/// piece, so a tip of any size passes through in the memory of a few network reads.
struct InboxResponse {
    /// The connection ended before the answer did: a server killed, a proxy or network that cut it.
    struct Cut: Error, CustomStringConvertible {
        var description: String { "the connection ended before the whole answer arrived" }
    }

    let head: HTTPResponseHead
    private var parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private var ended = false

    init(reading parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) async throws {
        var parts = parts
        guard case .head(let head) = try await parts.next() else { throw Cut() }
        self.head = head
        self.parts = parts
    }

    var status: HTTPResponseStatus { head.status }

    /// The next piece of the body; nil once it has all arrived. Throws `Cut` if the connection
    /// ends first, whatever the headers announced.
    mutating func nextBodyPart() async throws -> ByteBuffer? {
        guard !ended else { return nil }
        switch try await parts.next() {
        case .body(let bytes):
            return bytes
        case .end:
            ended = true
            return nil
        case .head, nil:
            throw Cut()
        }
    }

    /// The whole body of a small answer (a listing, an error), refused beyond `limit` bytes so a
    /// hostile server cannot make the client hold an endless one.
    mutating func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        while var piece = try await nextBodyPart() {
            guard collected.readableBytes + piece.readableBytes <= limit else {
                throw InboxClientError("an answer larger than the \(limit >> 10) KiB expected")
            }
            collected.writeBuffer(&piece)
        }
        return collected
    }
}
