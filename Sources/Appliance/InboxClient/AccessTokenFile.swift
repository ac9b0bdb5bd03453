#if canImport(Glibc)
import Glibc
#endif
import SmallFiles
import Vault

/// `--token-file`: the one line `ashlink inbox access-token --output FILE` wrote. The token opens
/// the inbox to whoever holds it, so, as ssh does with a private key, a file that other accounts
/// may read or write is refused rather than used: the fix (`chmod 600`) costs a moment, a leaked
/// token costs every tip until the newsroom removes its verifier.
enum AccessTokenFile {
    static func read(_ path: String) throws(InboxClientError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw InboxClientError("\(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw InboxClientError("\(path): not a file") }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw InboxClientError("\(path): other accounts may read or change it (mode \(mode)): chmod 600 \(path)")
        }
        let text: String
        do {
            text = try TextFile.read(path, limit: 4096)
        } catch {
            throw InboxClientError("\(path): \(error)")
        }
        return try token(in: text, of: path)
    }

    /// The token in the file's text: one line, blanks around it and a line end (LF or CRLF) allowed.
    static func token(in text: String, of path: String) throws(InboxClientError) -> String {
        // Split first: Swift reads CRLF as one character, which no blank-trimming rule matches.
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard let line = lines.first else { throw InboxClientError("\(path) is empty: expected the token `ashlink inbox access-token` wrote") }
        guard lines.count == 1, LinkToken(line) != nil else {
            if line.hasPrefix("ashlink-access-v1-") {
                throw InboxClientError("\(path) holds a verifier (it belongs in the server's inbox_access), not the token")
            }
            throw InboxClientError("\(path) does not hold an access token (52 base32 characters on one line, as `ashlink inbox access-token` writes)")
        }
        return String(line)
    }
}
