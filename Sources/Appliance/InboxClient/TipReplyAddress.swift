import SmallFiles
import Vault

/// `--tip DIR/<id>` of `inbox reply`: a decrypted tip's folder and the reply address in it
/// (`reply-address.txt`, which only the decrypted tip carries: the server knows no link from a
/// tip to its conversation). Every refusal names the path and says what to do.
struct TipReplyAddress {
    /// The folder as given, without trailing slashes, for the line that reports the reply.
    let tip: String
    let address: ReplyAddress

    /// What to do when the folder or its reply address is not there.
    static let advice = "decrypt the tip first: ashlink inbox fetch --identity FILE … or ashlink inbox decrypt …, then give its folder DIR/<id>"

    /// Far above the three lines the file has; a larger file is not one.
    static let sizeLimit = 4096

    init(tip given: String) throws(InboxClientError) {
        var tip = given
        while tip.count > 1, tip.hasSuffix("/") { tip.removeLast() }
        guard !tip.hasSuffix(".age") else {
            throw InboxClientError("\(given) is an encrypted tip: \(Self.advice)")
        }
        let path = tip + "/" + ReplyAddress.fileName
        let text: String
        do {
            text = try TextFile.read(path, limit: Self.sizeLimit)
        } catch {
            throw InboxClientError("\(path): \(error): \(Self.advice)")
        }
        do {
            address = try ReplyAddress(parsing: text)
        } catch {
            throw InboxClientError("\(path): \(error)")
        }
        self.tip = tip
    }
}
