/// PADMÉ (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
/// with PURBs", PETS 2019): lengths are rounded up so that a length of E+1 bits keeps only its
/// top floor(log2 E)+1 bits. A length then reveals O(log log L) bits instead of O(log L), and the
/// overhead stays below 12% (at most 1/2^S, so under 6.25% from 4 KiB on).
public enum Padme {
    public static func paddedLength(_ length: Int) -> Int {
        precondition(length >= 0, "a length is not negative")
        guard length >= 2 else { return length }
        let exponent = Int.bitWidth - 1 - length.leadingZeroBitCount  // E = floor(log2 L)
        let kept = Int.bitWidth - exponent.leadingZeroBitCount  // S = floor(log2 E) + 1
        let mask = (1 << (exponent - kept)) - 1
        return (length + mask) & ~mask
    }
}
