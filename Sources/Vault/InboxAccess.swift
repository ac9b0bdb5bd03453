internal import CSodium

/// A journalist's access to the inbox API: a 256-bit random token that only the journalist's
/// machine keeps, and its verifier, which is all the server's configuration (`inbox_access`)
/// holds. The verifier is a keyed BLAKE2b-256 of the token: the token is random and long, so a
/// fast hash suffices, and a copy of the configuration gives nothing to present.
public enum InboxAccess {
    private static let domain = Array("ashlink inbox access v1".utf8)
    /// Marks a verifier, so that one is never mistaken for a token (both are 52 base32 characters).
    static let verifierPrefix = "ashlink-access-v1-"

    /// A new token (its text, for the journalist's token file) and its verifier's text.
    public static func generate() -> (token: String, verifier: String) {
        let token = LinkToken.random()
        return (token.text, Verifier(of: token).text)
    }

    /// One `inbox_access` entry.
    public struct Verifier: Sendable, Equatable {
        let digest: [UInt8]

        /// nil for anything that is not a verifier as `ashlink inbox access-token` prints it.
        public init?(_ text: some StringProtocol) {
            guard text.hasPrefix(InboxAccess.verifierPrefix),
                  let digest = Base32.decode(text.dropFirst(InboxAccess.verifierPrefix.count)), digest.count == 32 else { return nil }
            self.digest = digest
        }

        init(of token: LinkToken) {
            Sodium.ensureReady()
            var digest = [UInt8](repeating: 0, count: 32)
            Sodium.require(
                crypto_generichash(&digest, digest.count, token.bytes, UInt64(token.bytes.count), domain, domain.count),
                "crypto_generichash")
            self.digest = digest
        }

        public var text: String { InboxAccess.verifierPrefix + Base32.encode(digest) }

        /// Whether the presented token text is the one this verifier was made from, compared in
        /// constant time; a malformed text is simply not it.
        public func admits(_ presented: some StringProtocol) -> Bool {
            guard let token = LinkToken(presented) else { return false }
            return sodium_memcmp(Verifier(of: token).digest, digest, digest.count) == 0
        }
    }
}
