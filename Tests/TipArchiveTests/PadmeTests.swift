import LengthPadding
@testable import TipArchive
import Testing

@Suite struct PadmeTests {
    /// Worked out from the paper's definition: E = floor(log2 L), S = floor(log2 E) + 1, the low
    /// E − S bits rounded up.
    @Test(arguments: [
        (0, 0), (1, 1), (2, 2), (3, 3), (7, 7), (8, 8), (9, 10), (10, 10), (11, 12), (16, 16), (17, 18),
        (100, 104), (1000, 1024), (4096, 4096), (4097, 4352), (100 << 20, 100 << 20), ((100 << 20) + 1, 102 << 20),
    ])
    func knownValues(length: Int, padded: Int) {
        #expect(Padme.paddedLength(length) == padded)
    }

    @Test func theOverheadIsSmallAndTheClassesStable() {
        for length in 1...70_000 {
            let padded = Padme.paddedLength(length)
            #expect(padded >= length && Padme.paddedLength(padded) == padded)
            #expect(Double(padded - length) <= Double(length) * (length >= 4096 ? 0.0625 : 0.12))
        }
        for exponent in 12...40 {
            for length in [(1 << exponent) - 1, 1 << exponent, (1 << exponent) + 1, (3 << exponent) / 2 + 7] {
                #expect(Double(Padme.paddedLength(length) - length) <= Double(length) * 0.0625)
            }
        }
    }

    /// Between 2^E and 2^(E+1) there are 2^S classes, S = floor(log2 E) + 1: a handful per doubling.
    @Test(arguments: 12...40)
    func fewClassesPerDoubling(exponent: Int) {
        var classes = 0, length = 1 << exponent
        while Padme.paddedLength(length) < 2 << exponent {
            classes += 1
            length = Padme.paddedLength(length) + 1
        }
        #expect(classes == 1 << (Int.bitWidth - exponent.leadingZeroBitCount))
        #expect(classes <= 64)
    }

    @Test func lengthsJustAboveAPowerOfTwoShareTwoClasses() {
        let power = 1 << 20
        let classes: Set<Int> = Set((power...power + 4096).map(Padme.paddedLength))
        #expect(classes == [power, power + (1 << 15)])
    }
}
