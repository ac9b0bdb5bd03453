internal import CSodium

/// Random passwords for `/generate`: 12 characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), about 70 bits, uniform thanks to `randombytes_uniform`.
public enum PasswordGenerator {
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    public static let length = 12

    public static func generate() -> String {
        Sodium.ensureReady()
        return String((0..<length).map { _ in alphabet[Int(randombytes_uniform(UInt32(alphabet.count)))] })
    }
}
