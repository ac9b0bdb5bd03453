import Vault

/// The v3 onion address that tor writes into a hidden service directory's `hostname` file:
/// 56 base32 characters (an ed25519 key, a checksum and the version byte 3) and ".onion".
///
/// Used by `ashlink onion-address` and by the configuration key
/// `public_url_from_hidden_service_dir`, so that share links carry the onion's own address.
/// The file is read with the rest of the configuration, before privileges are dropped. tor
/// keeps the folder mode 0700 for its own user: root can read it, the `ashlink` account cannot,
/// and the packaged ashlink.service hides /var/lib/tor-instances altogether. So the key serves
/// set-ups where ashlink starts as root or tor's folder is readable to it; packaged installs
/// copy the address into `public_url` with `ashlink onion-address` (docs/install.md).
enum OnionHostname {
    static let configurationKey = "public_url_from_hidden_service_dir"

    /// `http://<address>.onion`, the value `public_url` would have.
    static func publicURL(fromHiddenServiceDir directory: String) throws(ConfigurationError) -> String {
        "http://" + (try address(inHiddenServiceDir: directory))
    }

    /// The address in DIR/hostname, checked to be a v3 onion address.
    static func address(inHiddenServiceDir directory: String) throws(ConfigurationError) -> String {
        guard !directory.isEmpty else {
            throw .invalid(configurationKey, directory, "must be tor's HiddenServiceDir, not empty")
        }
        let path = directory.hasSuffix("/") ? directory + "hostname" : directory + "/hostname"
        let text = try ConfigurationLoader.readTextFile(path)
        // tor writes the address followed by one newline; nothing else is accepted.
        let address = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard isV3Address(address) else {
            throw .unreadable(file: path, "not a v3 onion address (56 base32 characters, then .onion), as tor writes it")
        }
        return address
    }

    /// 56 lowercase base32 characters + ".onion", whose last decoded byte (the version) is 3.
    static func isV3Address(_ text: String) -> Bool {
        guard text.utf8.count == 56 + 6, text.hasSuffix(".onion"), let decoded = Base32.decode(text.dropLast(6)) else {
            return false
        }
        // 56 × 5 bits = 35 bytes: the public key, a checksum, and the version byte last.
        return decoded.count == 35 && decoded[34] == 3
    }
}
