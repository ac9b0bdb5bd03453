/// The codename words (``CodenameWords``, the EFF's large list) as bytes, with the one look-up
/// that reading a codename needs.
///
/// The list is in byte order with no word twice (a test checks both), so whether a word belongs
/// to it is a binary search over the bytes themselves: reading a codename never makes a `String`
/// of a word the tipster typed.
struct CodenameWordList: Sendable {
    static let shared = CodenameWordList(CodenameWords.text)

    /// Every word's UTF-8, one after the other, with nothing between them.
    private let bytes: [UInt8]
    /// Where each word starts in `bytes`, then where the last one ends.
    private let bounds: [Int]
    /// The length of the longest word, in bytes: what a codename's buffer is sized by.
    let longestWord: Int

    private init(_ text: StaticString) {
        let lines = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            .split(separator: UInt8(ascii: "\n"))
        var bytes: [UInt8] = []
        var bounds = [0]
        for line in lines {
            bytes += line
            bounds.append(bytes.count)
        }
        self.bytes = bytes
        self.bounds = bounds
        longestWord = lines.map(\.count).max() ?? 0
    }

    var count: Int { bounds.count - 1 }

    subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[bounds[index]..<bounds[index + 1]]
    }

    func contains(_ word: UnsafeRawBufferPointer) -> Bool {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            let candidate = self[middle]
            if candidate.elementsEqual(word) { return true }
            if candidate.lexicographicallyPrecedes(word) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return false
    }
}
