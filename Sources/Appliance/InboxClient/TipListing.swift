import FoundationEssentials
import Vault

/// One tip as `GET /inbox/v1/tips` lists it, checked before anything of it is used: the id
/// becomes a file name, the day is printed to the journalist's terminal, and neither may come
/// from a hostile server unchecked.
struct ListedTip: Equatable, Sendable {
    let id: TipID
    /// The length of the stored age file, which the download must match exactly.
    let bytes: Int
    /// `YYYY-MM-DD`, the UTC day the tip arrived.
    let received: String
}

/// The body of `GET /inbox/v1/tips`: `{"tips": [{"id": …, "bytes": …, "received": "YYYY-MM-DD"}]}`.
enum TipListing {
    private struct Body: Decodable {
        struct Entry: Decodable {
            let id: String
            let bytes: Int
            let received: String
        }

        let tips: [Entry]
    }

    static func parse(_ json: [UInt8]) throws(InboxClientError) -> [ListedTip] {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(json))
        } catch {
            throw InboxClientError("the inbox's list of tips is not the JSON the API defines")
        }
        var seen = Set<TipID>()
        return try body.tips.map { entry throws(InboxClientError) in
            guard let id = TipID(entry.id) else {
                throw InboxClientError("the inbox listed a tip id that is not one (26 lowercase base32 characters): refusing to use it as a file name")
            }
            guard seen.insert(id).inserted else { throw InboxClientError("the inbox listed the tip \(id) twice") }
            guard entry.bytes > 0 else { throw InboxClientError("the inbox listed the tip \(id) with \(entry.bytes) bytes") }
            guard isDay(entry.received) else { throw InboxClientError("the inbox listed the tip \(id) with a day that is not YYYY-MM-DD") }
            return ListedTip(id: id, bytes: entry.bytes, received: entry.received)
        }
    }

    /// `YYYY-MM-DD` in ASCII digits: the form only, which is all that printing it needs.
    static func isDay(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        guard characters.count == 10, characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-") else { return false }
        return characters.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
        }
    }
}
