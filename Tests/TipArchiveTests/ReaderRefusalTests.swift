@testable import TipArchive
import Testing

@Suite struct ReaderRefusalTests {
    static func tip() -> [UInt8] {
        var writer = TipArchiveWriter()
        return writer.add(file: "message.txt", contents: pattern(700)) + writer.finish()
    }

    @Test(arguments: ["../x", "/etc/passwd", "attachments/../../x", "a//b", "./x", "a/.", "../\u{301}x",
                      "a\\b", "x\u{202E}fdp.exe", "line\nbreak", "a\u{7F}", "a\u{85}"])
    func unsafeNamesAreRefused(_ name: String) {
        #expect(throws: TipArchiveError.unsafeName(name)) { try readArchive(forgedHeader(name) + endOfArchive) }
    }

    @Test(arguments: ["1", "2", "3", "4", "6", "7", "x", "g", "L"])
    func anythingButPlainFilesAndDirectoriesIsRefused(_ typeflag: Character) {
        let flag = typeflag.asciiValue!
        #expect(throws: TipArchiveError.notAPlainFileOrDirectory(name: "link", typeflag: flag)) {
            try readArchive(forgedHeader("link", typeflag: flag) + endOfArchive)
        }
    }

    @Test func aSymlinkToEtcIsRefused() {
        let symlink = forgedHeader("attachments/report.pdf", typeflag: UInt8(ascii: "2")) { block in
            block.replaceSubrange(157..<168, with: Array("/etc/shadow".utf8))
        }
        #expect(throws: TipArchiveError.notAPlainFileOrDirectory(name: "attachments/report.pdf", typeflag: 0x32)) {
            try readArchive(symlink + endOfArchive)
        }
    }

    @Test(arguments: [1, 511, 512, 513, 1211, 1300])
    func aStreamCutInsideAHeaderOrAMemberIsTruncated(length: Int) {
        #expect(throws: TipArchiveError.truncated) { try readArchive(Array(Self.tip().prefix(length))) }
    }

    @Test(arguments: [0, 1536, 2048])
    func aStreamCutBetweenMembersHasNoEnd(length: Int) {
        #expect(throws: TipArchiveError.missingEndOfArchive) { try readArchive(Array(Self.tip().prefix(length))) }
    }

    @Test func aBadChecksumIsRefused() {
        var archive = Self.tip()
        archive[0] = UInt8(ascii: "n")
        #expect(throws: TipArchiveError.badChecksum) { try readArchive(archive) }
    }

    @Test func gnuAndPreposixHeadersAreRefused() {
        let gnu = forgedHeader("a") { $0.replaceSubrange(257..<265, with: Array("ustar  \0".utf8)) }
        let v7 = forgedHeader("a") { $0.replaceSubrange(257..<265, with: [UInt8](repeating: 0, count: 8)) }
        #expect(throws: TipArchiveError.notUstar) { try readArchive(gnu + endOfArchive) }
        #expect(throws: TipArchiveError.notUstar) { try readArchive(v7 + endOfArchive) }
    }

    @Test func aMalformedSizeIsRefused() {
        let header = forgedHeader("a") { $0.replaceSubrange(124..<136, with: Array("0000000009\0\0".utf8)) }
        #expect(throws: TipArchiveError.malformedHeader("the size field is not an octal number")) {
            try readArchive(header + endOfArchive)
        }
    }

    @Test func theSameNameTwiceIsRefusedWhateverItsCase() {
        let archive = forgedHeader("attachments/a.txt") + forgedHeader("Attachments/A.TXT") + endOfArchive
        #expect(throws: TipArchiveError.duplicateName("Attachments/A.TXT")) { try readArchive(archive) }
    }

    @Test func aLoneZeroBlockBeforeAHeaderIsRefused() {
        let archive = [UInt8](repeating: 0, count: 512) + forgedHeader("a") + endOfArchive
        #expect(throws: TipArchiveError.malformedHeader("a lone zero block before a header")) { try readArchive(archive) }
    }

    @Test func onlyZeroBytesMayFollowTheEnd() throws {
        #expect(try readArchive(Self.tip() + [UInt8](repeating: 0, count: 5000)) == [.file("message.txt", pattern(700))])
        #expect(throws: TipArchiveError.dataAfterEnd) { try readArchive(Self.tip() + forgedHeader("hidden")) }
    }

    @Test func aDirectoryWithContentsIsRefused() {
        let archive = forgedHeader("attachments/", size: 1, typeflag: TarHeader.directory) + pattern(512) + endOfArchive
        #expect(throws: TipArchiveError.malformedHeader("a directory with contents")) { try readArchive(archive) }
    }
}
