internal import CSodium

/// libsodium's one-time initialisation, done before any other call into it, and the one way the
/// vault treats a libsodium status code.
enum Sodium {
    /// `sodium_init` is thread-safe and idempotent; reading this static runs it exactly once.
    static let ready: Bool = sodium_init() >= 0

    static func ensureReady() {
        precondition(ready, "libsodium could not be initialised")
    }

    /// Stops the process when a libsodium call reports failure.
    ///
    /// The KDF, the AEAD and keyed BLAKE2b fail only for lengths outside what libsodium supports,
    /// and every length the vault passes is fixed or bounded far below that: their failure means
    /// the library is not the one the vault was built against. `crypto_pwhash` also fails when it
    /// cannot allocate its memory, which the ``Argon2Gate`` cap exists to prevent. Either way,
    /// going on would store or hand out bytes that were never encrypted or derived, so the
    /// process stops, naming the call.
    static func require(_ status: Int32, _ operation: StaticString) {
        guard status == 0 else {
            fatalError("libsodium \(operation) failed (status \(status))")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureReady()
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return bytes
    }

    /// Overwrites bytes that held key material or plaintext before the array is released.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }
}
