/// The one length a downloaded tip may have: what the listing said, what the answer's
/// `Content-Length` says, and what actually arrived must all be the same number. A connection
/// that ends early gives fewer bytes; a server that changed its mind gives a different header;
/// either way the tip is not taken, and so not acknowledged.
struct TipLength: Equatable {
    let bytes: Int

    /// Refuses an answer whose single `Content-Length` (digits only) differs from `listed`.
    init(listed: Int, contentLength values: [String]) throws(InboxClientError) {
        guard values.count == 1, let value = values.first, !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let announced = Int(value) else {
            throw InboxClientError("the inbox sent the tip without one plain Content-Length")
        }
        guard announced == listed else {
            throw InboxClientError("the inbox announced \(announced) bytes for a tip it listed with \(listed)")
        }
        bytes = listed
    }

    /// After the body ended: exactly `bytes` arrived.
    func check(received: Int) throws(InboxClientError) {
        guard received == bytes else {
            throw InboxClientError("\(received) of the tip's \(bytes) bytes arrived")
        }
    }
}
