/// The name of one stored tip: 128 random bits, so ids say nothing about when or in which order
/// tips arrived, and one cannot be guessed from another.
///
/// Its text form is unpadded lowercase RFC 4648 base32 (26 characters), the link tokens' encoding.
/// An id is not a capability (the inbox API needs a journalist's token), so it may be printed.
public struct TipID: Sendable, Hashable, CustomStringConvertible {
    static let byteCount = 16

    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    static func random() -> TipID {
        TipID(bytes: Sodium.randomBytes(byteCount))
    }

    /// Parses the text form; anything else (wrong length, other characters, uppercase, non-zero
    /// padding bits) is no id at all, so arbitrary path segments never reach the database.
    public init?(_ text: some StringProtocol) {
        guard let bytes = Base32.decode(text, exactly: Self.byteCount) else { return nil }
        self.bytes = bytes
    }

    public var text: String { Base32.encode(bytes) }
    public var description: String { text }
}

/// A finished tip as the inbox lists it: nothing but its id, its size and the day it arrived.
public struct StoredTip: Sendable, Equatable {
    public let id: TipID
    /// The length of the stored age file.
    public let bytes: Int
    /// "YYYY-MM-DD": the UTC day the tip was finished. Nothing finer is stored.
    public let received: String

    init(id: TipID, bytes: Int, receivedDay: Int64) {
        self.id = id
        self.bytes = bytes
        self.received = UTCDay.text(receivedDay)
    }
}
