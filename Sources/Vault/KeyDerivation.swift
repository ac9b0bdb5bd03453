internal import CSodium

/// What the vault derives from a link token with libsodium's KDF (BLAKE2b, `crypto_kdf`).
///
/// The row id is what the database stores to find the row; the content key opens it. Both are
/// one-way functions of the token, so the database holds neither the token nor anything that
/// leads back to it. Secrets and receipts use different contexts, so one token can never be
/// confused for the other kind.
struct DerivedKeys: Sendable {
    enum Purpose: Sendable {
        case secret
        case receipt

        var context: String {
            switch self {
            case .secret: "ashlsecr"
            case .receipt: "ashlrcpt"
            }
        }
    }

    private enum Subkey: UInt64 {
        case rowID = 1
        case contentKey = 2
        case receiptOutcomeKey = 3
    }

    static let rowIDLength = 32

    let rowID: [UInt8]
    let contentKey: SecureBytes

    init(token: LinkToken, purpose: Purpose) {
        Sodium.ensureReady()
        precondition(Int(crypto_kdf_KEYBYTES) == LinkToken.byteCount)
        var rowID = [UInt8](repeating: 0, count: Self.rowIDLength)
        let contentKey = SecureBytes(count: Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES))
        purpose.context.withCString { context in
            token.bytes.withUnsafeBufferPointer { master in
                Sodium.require(
                    crypto_kdf_derive_from_key(&rowID, Self.rowIDLength, Subkey.rowID.rawValue, context, master.baseAddress!),
                    "crypto_kdf_derive_from_key")
                let status = contentKey.withUnsafeMutableBytes { key in
                    crypto_kdf_derive_from_key(
                        key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count,
                        Subkey.contentKey.rawValue, context, master.baseAddress!)
                }
                Sodium.require(status, "crypto_kdf_derive_from_key")
            }
        }
        self.rowID = rowID
        self.contentKey = contentKey
    }
}

extension DerivedKeys {
    /// The key of a receipt's outcome (``ReceiptOutcome``): derived from the receipt token, and
    /// also sealed into its secret's header, so that a reveal, which holds only the share token,
    /// can record the outcome without being able to read the receipt's payload.
    static func receiptOutcomeKey(_ receiptToken: LinkToken) -> SecureBytes {
        Sodium.ensureReady()
        let key = SecureBytes(count: Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES))
        let status = Purpose.receipt.context.withCString { context in
            receiptToken.bytes.withUnsafeBufferPointer { master in
                key.withUnsafeMutableBytes { key in
                    crypto_kdf_derive_from_key(
                        key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count,
                        Subkey.receiptOutcomeKey.rawValue, context, master.baseAddress!)
                }
            }
        }
        Sodium.require(status, "crypto_kdf_derive_from_key")
        return key
    }
}
