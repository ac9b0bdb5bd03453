import Foundation
import XCTest
@testable import Vault

/// The word list a codename is drawn from, how codenames are made, and how typed ones are read.
final class CodenameTests: XCTestCase {
    private let list = CodenameWordList.shared

    func testTheListHasAtLeast7776ShortDistinctWordsInByteOrder() {
        XCTAssertGreaterThanOrEqual(list.count, 7776)
        let words = (0..<list.count).map { Array(list[$0]) }
        XCTAssertEqual(Set(words).count, words.count, "no word twice")
        for index in 1..<words.count {
            XCTAssertTrue(words[index - 1].lexicographicallyPrecedes(words[index]), "byte order at \(index)")
        }
        let allowed = Set(Array("abcdefghijklmnopqrstuvwxyz-".utf8))
        for word in words {
            XCTAssertTrue((3...9).contains(word.count), String(decoding: word, as: UTF8.self))
            XCTAssertTrue(word.allSatisfy(allowed.contains), String(decoding: word, as: UTF8.self))
        }
        XCTAssertEqual(list.longestWord, 9)
        XCTAssertEqual(String(decoding: list[0], as: UTF8.self), "abacus", "the EFF list's first word")
        XCTAssertEqual(String(decoding: list[list.count - 1], as: UTF8.self), "zoom", "and its last")
    }

    func testACodenameCarriesAtLeast90Bits() {
        let bits = Double(Codename.wordCount) * log2(Double(list.count))
        XCTAssertGreaterThanOrEqual(bits, 90)
        XCTAssertGreaterThanOrEqual(Codename.wordCount, 7)
    }

    func testGeneratedCodenamesAreListWordsSeparatedBySingleSpaces() throws {
        var seen = Set<String>()
        for _ in 0..<500 {
            let text = Codename.generate().text
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            XCTAssertEqual(words.count, Codename.wordCount, text)
            for word in words {
                XCTAssertTrue(Array(word.utf8).withUnsafeBytes(list.contains), "\(word) is on the list")
            }
            XCTAssertEqual(try Codename(parsing: text).text, text, "a generated codename reads back as itself")
            seen.insert(text)
        }
        XCTAssertEqual(seen.count, 500, "no codename twice")
    }

    func testTypedCodenamesIgnoreCaseAndWhitespace() throws {
        let normal = "abacus yo-yo zoom drop-down felt-tip unfold zoom"
        let spellings = [
            normal,
            "ABACUS Yo-Yo zOoM DROP-DOWN Felt-Tip UNFOLD Zoom",
            "  abacus\tyo-yo\n\nzoom   drop-down\r\nfelt-tip unfold zoom \n",
            "abacus\u{00A0}yo-yo\u{2003}zoom\u{3000}drop-down\u{2028}felt-tip\u{000B}unfold\u{000C}zoom",
        ]
        for spelling in spellings {
            XCTAssertEqual(try Codename(parsing: spelling).text, normal, spelling.debugDescription)
        }
        XCTAssertEqual(try Codename(parsing: Substring(spellings[1])).text, normal)
    }

    func testAWrongNumberOfWordsIsRefused() {
        let seven = "abacus abdomen abide zoom unfold aging able"
        XCTAssertNoThrow(try Codename(parsing: seven))
        for (text, found) in [("", 0), ("   \n\t ", 0), ("abacus abdomen abide zoom unfold aging", 6),
                              (seven + " able", 8), (seven + " notaword x y", 10)] {
            XCTAssertThrowsError(try Codename(parsing: text), text.debugDescription) { error in
                XCTAssertEqual(error as? CodenameError, .wrongWordCount(found: found))
            }
        }
    }

    func testAnUnknownWordIsRefusedByPositionNeverByItself() {
        let cases: [(String, Int)] = [
            ("abacusx abdomen abide zoom unfold aging able", 1),
            ("abacus abdomen abide zoom unfold aging ab", 7),
            ("abacus abdomen abíde zoom unfold aging able", 3),  // a letter outside ASCII
            ("abacus abdomen abide zo0m unfold aging able", 4),
            ("abacus abdomen abide zoom abacusabacus aging able", 5),  // longer than any word
            ("abacus yo yo zoom unfold aging able", 2),  // a hyphenated word split apart
            ("abacus abdomen abide zoom unfold aging able\u{200B}", 7),  // zero width space is not whitespace
        ]
        for (text, position) in cases {
            XCTAssertThrowsError(try Codename(parsing: text), text) { error in
                XCTAssertEqual(error as? CodenameError, .unknownWord(position: position))
                for word in text.split(whereSeparator: \.isWhitespace) {
                    XCTAssertFalse("\(error)".contains(word), "the message names no word: \(error)")
                }
            }
        }
    }

    /// A form field's bytes read as its text reads, and bytes that are not UTF-8 make their word unknown.
    func testUTF8BytesReadAsTheirText() {
        let normal = "abacus yo-yo zoom drop-down felt-tip unfold zoom"
        let typed = "  ABACUS\u{00A0}yo-yo zoom drop-down\r\nFelt-Tip unfold zoom "
        XCTAssertEqual(try Codename(parsingUTF8: Array(typed.utf8)).text, normal)
        XCTAssertThrowsError(try Codename(parsingUTF8: Array("abacus yo-yo".utf8))) { error in
            XCTAssertEqual(error as? CodenameError, .wrongWordCount(found: 2))
        }
        let broken = Array("abacus yo-yo zoom ".utf8) + [0x64, 0xFF, 0x6F] + Array(" felt-tip unfold zoom".utf8)
        XCTAssertThrowsError(try Codename(parsingUTF8: broken)) { error in
            XCTAssertEqual(error as? CodenameError, .unknownWord(position: 4))
        }
    }
}
