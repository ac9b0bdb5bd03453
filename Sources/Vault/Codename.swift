internal import CSodium

/// A tipster's codename: ``wordCount`` words drawn uniformly from the EFF's large list of 7,776
/// (``CodenameWordList``), 7 × log₂ 7,776 ≈ 90.5 bits. It is a conversation's one secret: the
/// server derives the reply key and the mailbox from it (``ConversationKeys``) and stores
/// neither it nor anything that leads back to it.
///
/// It is kept in its normal form, lowercase words joined by single spaces, in a libsodium guarded
/// allocation that is zeroed when the last copy goes. The normal form is what Argon2id
/// stretches, so every spelling a tipster may type (any case, any whitespace) opens the same
/// conversation.
public struct Codename: Sendable {
    public static let wordCount = 7

    /// The normal form's UTF-8, in the first `length` bytes.
    private let storage: SecureBytes
    private let length: Int

    private init(_ builder: Builder) {
        storage = builder.storage
        length = builder.length
    }

    /// A new codename, each word drawn with `randombytes_uniform` (no modulo bias).
    public static func generate() -> Codename {
        Sodium.ensureReady()
        let list = CodenameWordList.shared
        var builder = Builder()
        for _ in 0..<wordCount {
            builder.startWord()
            for byte in list[Int(randombytes_uniform(UInt32(list.count)))] { builder.append(byte) }
        }
        return Codename(builder)
    }

    /// Reads a codename as a tipster typed it: letters in any case, words separated by any runs
    /// of whitespace (Unicode's, so a pasted no-break space counts), with whitespace before and
    /// after. The error names how many words there were, or which one is not on the list, but
    /// never a word itself, so nothing of a codename can reach a page or a log through it.
    public init(parsing text: some StringProtocol) throws(CodenameError) {
        var reader = Reader()
        for scalar in text.unicodeScalars { reader.read(scalar) }
        try self.init(reading: reader)
    }

    /// The same reading over the UTF-8 bytes of a form field, so that a typed codename need not
    /// become a `String` (a copy in memory that nothing wipes) on its way here. A byte sequence
    /// that is not UTF-8 makes its word unknown.
    public init(parsingUTF8 bytes: some Sequence<UInt8>) throws(CodenameError) {
        var reader = Reader()
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): reader.read(scalar)
            case .error: reader.read("\u{FFFD}")
            case .emptyInput:
                try self.init(reading: reader)
                return
            }
        }
    }

    private init(reading reader: consuming Reader) throws(CodenameError) {
        reader.endWord()
        guard reader.words == Self.wordCount else { throw .wrongWordCount(found: reader.words) }
        if let position = reader.firstUnknown { throw .unknownWord(position: position) }
        self.init(reader.builder)
    }

    /// The normal form, for the one page that shows a new codename. A `String` lives in ordinary
    /// memory that nothing wipes: ask for it there only.
    public var text: String {
        storage.withUnsafeBytes { String(decoding: $0[..<length], as: UTF8.self) }
    }

    /// The normal form's bytes, for Argon2id.
    func withNormalForm<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
    }
}

/// Why a typed codename was refused.
public enum CodenameError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongWordCount(found: Int)
    /// The first word (counted from 1) that is not on the list.
    case unknownWord(position: Int)

    public var description: String {
        switch self {
        case .wrongWordCount(let found):
            "a codename has \(Codename.wordCount) words, but this has \(found)"
        case .unknownWord(let position):
            "word \(position) of the codename is not one of the codename words: check its spelling"
        }
    }
}

/// A codename's normal form, written straight into guarded memory sized for the longest one.
private struct Builder {
    static let capacity = Codename.wordCount * (CodenameWordList.shared.longestWord + 1) - 1

    let storage = SecureBytes(count: Builder.capacity)
    private(set) var length = 0
    private(set) var wordStart = 0

    var wordLength: Int { length - wordStart }

    mutating func startWord() {
        if length > 0 { append(UInt8(ascii: " ")) }
        wordStart = length
    }

    mutating func append(_ byte: UInt8) {
        precondition(length < Self.capacity, "a codename word longer than any on the list")
        let index = length
        storage.withUnsafeMutableBytes { $0[index] = byte }
        length += 1
    }

    func wordIsListed() -> Bool {
        storage.withUnsafeBytes { CodenameWordList.shared.contains(UnsafeRawBufferPointer(rebasing: $0[wordStart..<length])) }
    }
}

/// Reads typed text one Unicode scalar at a time into a ``Builder``: the first
/// ``Codename/wordCount`` words are written in their normal form, further ones only counted.
private struct Reader {
    var builder = Builder()
    private(set) var words = 0
    private(set) var firstUnknown: Int?
    /// Whether the word being read can still be a list word; nil between words.
    private var wordValid: Bool?

    mutating func read(_ scalar: Unicode.Scalar) {
        if scalar.properties.isWhitespace { return endWord() }
        if wordValid == nil {
            words += 1
            wordValid = words <= Codename.wordCount
            if wordValid == true { builder.startWord() }
        }
        guard wordValid == true else { return }
        if let byte = Self.normalByte(scalar), builder.wordLength < CodenameWordList.shared.longestWord {
            builder.append(byte)
        } else {
            wordValid = false
        }
    }

    mutating func endWord() {
        guard let valid = wordValid else { return }
        wordValid = nil
        if words <= Codename.wordCount, firstUnknown == nil, !(valid && builder.wordIsListed()) {
            firstUnknown = words
        }
    }

    /// The list's words are ASCII lowercase letters and hyphens; uppercase folds to lowercase,
    /// anything else makes the word unknown.
    private static func normalByte(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar {
        case "a"..."z", "-": UInt8(scalar.value)
        case "A"..."Z": UInt8(scalar.value) + 32
        default: nil
        }
    }
}
