internal import CSodium
import LengthPadding

/// Every plaintext the vault seals into a secret or receipt row is first padded with libsodium's
/// ISO/IEC 7816-4 padding (`sodium_pad`) to a size class, so that a stored length tells only the
/// class (docs/decisions/0021-unlinkable-rows-and-padding.md).
///
/// A class is the padded length itself, used as `sodium_pad`'s block size: padding a plaintext
/// shorter than the class gives exactly the class, and `sodium_unpad` with the stored length finds
/// the marker again without being told the class.
enum SealedPadding {
    /// Secrets below this many bytes all share the smallest class: passwords, keys and notes of a
    /// few lines look alike. Above it the classes are PADMÉ's (under 12% overhead, ~8 per doubling).
    static let smallestSecretClass = 1024

    /// The class of a secret of `length` bytes: always longer than `length` (the padding takes at
    /// least one byte, its marker).
    static func secretClass(_ length: Int) -> Int {
        max(smallestSecretClass, Padme.paddedLength(length + 1))
    }

    /// `plaintext` padded to exactly `length` bytes; `length` must be longer than the plaintext.
    static func padded(_ plaintext: [UInt8], to length: Int) -> [UInt8] {
        precondition(plaintext.count < length, "a padded plaintext is longer than the plaintext")
        var buffer = plaintext + [UInt8](repeating: 0, count: length - plaintext.count)
        var written = 0
        let status = buffer.withUnsafeMutableBufferPointer { bytes in
            sodium_pad(&written, bytes.baseAddress!, plaintext.count, length, length)
        }
        Sodium.require(status, "sodium_pad")
        precondition(written == length, "sodium_pad filled the class")
        return buffer
    }

    /// The plaintext inside a padded buffer; nil when no padding marker ends it (a damaged row).
    static func unpadded(_ padded: [UInt8]) -> [UInt8]? {
        guard !padded.isEmpty else { return nil }
        var length = 0
        let status = padded.withUnsafeBufferPointer { bytes in
            sodium_unpad(&length, bytes.baseAddress!, padded.count, padded.count)
        }
        guard status == 0 else { return nil }
        return Array(padded[..<length])
    }
}
