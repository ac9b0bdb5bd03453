@testable import TipArchive
import Testing

@Suite struct SafeFileNameTests {
    @Test(arguments: [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("/tmp/dir/", "dir"),
        (".bashrc", "bashrc"),
        (". .. .profile", "profile"),
        ("..", "attachment"),
        ("", "attachment"),
        ("   ", "attachment"),
        ("\u{0}\n\u{1B}", "attachment"),
        ("  report final.pdf \t", "report final.pdf"),
        ("re\u{0}po\nrt\u{7F}\u{85}\u{9B}.pdf", "report.pdf"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{2066}e\u{2067}f\u{2068}g\u{2069}.txt", "abcdefg.txt"),
        ("a\u{200F}b\u{061C}.txt", "ab.txt"),
        ("Grüße aus Zürich — 東京.odt", "Grüße aus Zürich — 東京.odt"),
        ("x/\u{301}y", "\u{301}y"),
    ])
    func submittedNamesBecomeSafe(submitted: String, safe: String) {
        #expect(SafeFileName.sanitize(submitted) == safe)
    }

    @Test(arguments: [
        (String(repeating: "a", count: 300) + ".pdf", String(repeating: "a", count: 96) + ".pdf"),
        (String(repeating: "é", count: 80) + ".pdf", String(repeating: "é", count: 48) + ".pdf"),
        (String(repeating: "😀", count: 30), String(repeating: "😀", count: 25)),
        (String(repeating: "a", count: 94) + " b.pdf", String(repeating: "a", count: 94) + " b.pdf"),
        (String(repeating: "a", count: 95) + "     b.pdf", String(repeating: "a", count: 95) + ".pdf"),
        ("a." + String(repeating: "b", count: 200), "a." + String(repeating: "b", count: 98)),
    ])
    func longNamesAreCutOnAScalarKeepingTheExtension(submitted: String, safe: String) {
        let result = SafeFileName.sanitize(submitted)
        #expect(result == safe)
        #expect(result.utf8.count <= SafeFileName.maximumBytes)
    }

    @Test(arguments: [
        "../../etc/passwd", "a/../..", "\\\\server\\share\\..\\x", String(repeating: "é/", count: 300),
        String(repeating: "\u{301}", count: 500), "..\u{0}/..", "../\u{301}..", String(repeating: "日本語", count: 60) + ".tar.gz",
    ])
    func everySanitizedNameIsAWritableMember(_ submitted: String) {
        let name = SafeFileName.sanitize(submitted)
        #expect(MemberName.isSafe(name) && !name.contains("/"))
        #expect(TarHeader.encode(name: TipArchiveWriter.attachmentsFolder + name, size: 0) != nil)
    }

    @Test func collisionsAreNumberedCaseInsensitively() {
        var names = SafeFileName.Resolver(reserved: ["message.txt"])
        let given = ["report.pdf", "report.pdf", "REPORT.PDF", "report-2.pdf", "Message.TXT", "README", "readme", "", ".."]
            .map { names.unique($0) }
        #expect(given == [
            "report.pdf", "report-2.pdf", "REPORT-3.PDF", "report-2-2.pdf", "Message-2.TXT", "README", "readme-2",
            "attachment", "attachment-2",
        ])
    }

    @Test func aNumberedLongNameStaysWithinTheLimit() {
        var names = SafeFileName.Resolver()
        let long = String(repeating: "a", count: 300) + ".pdf"
        let first = names.unique(long), second = names.unique(long)
        #expect(first.utf8.count == 100 && second.utf8.count == 100)
        #expect(second == String(repeating: "a", count: 94) + "-2.pdf")
    }

    @Test func canonicallyEquivalentNamesCollide() {
        var names = SafeFileName.Resolver()
        #expect(names.unique("caf\u{E9}.txt") == "caf\u{E9}.txt")
        #expect(names.unique("cafe\u{301}.txt") == "cafe\u{301}-2.txt")
    }
}
