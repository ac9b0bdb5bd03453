import LengthPadding
@testable import TipArchive
import Testing

@Suite struct RoundTripTests {
    static func tip(attachment: [UInt8], streamed piece: Int) throws -> [UInt8] {
        var writer = TipArchiveWriter()
        var archive = writer.add(file: TipArchiveWriter.messageName, contents: "A tip: ünïcode ✓\n".utf8)
        archive += writer.beginFile(name: TipArchiveWriter.attachmentsFolder + "report.pdf", size: attachment.count)
        var start = 0
        while start < attachment.count {
            archive += try writer.write(attachment[start..<min(start + piece, attachment.count)])
            start += piece
        }
        archive += try writer.endFile()
        archive += writer.add(file: TipArchiveWriter.attachmentsFolder + "empty", contents: [])
        return archive + writer.finish()
    }

    @Test(arguments: [(0, 1), (1, 1), (511, 100), (512, 512), (513, 7), (70_000, 65_536), (200_000, 1_000)])
    func whatTheWriterWritesTheReaderReads(size: Int, piece: Int) throws {
        let attachment = pattern(size)
        let archive = try Self.tip(attachment: attachment, streamed: piece)
        #expect(archive.count % 512 == 0)
        for readPiece in [1, 13, 512, 4096, archive.count] {
            #expect(try readArchive(archive, piece: readPiece) == [
                .file("message.txt", Array("A tip: ünïcode ✓\n".utf8)),
                .file("attachments/report.pdf", attachment),
                .file("attachments/empty", []),
            ])
        }
    }

    @Test func aLongNameGoesThroughThePrefixField() throws {
        let name = TipArchiveWriter.attachmentsFolder + String(repeating: "é", count: 48) + ".pdf"
        #expect(name.utf8.count == 112)
        var writer = TipArchiveWriter()
        let archive = writer.add(file: name, contents: [1, 2, 3]) + writer.finish()
        #expect(archive[345..<356].elementsEqual("attachments".utf8))
        #expect(try readArchive(archive) == [.file(name, [1, 2, 3])])
    }

    @Test func headersCarryNothingOfTheServer() {
        var writer = TipArchiveWriter()
        let header = writer.add(file: "message.txt", contents: "x".utf8).prefix(512)
        #expect(header[100..<108].elementsEqual("0000600\0".utf8))  // mode
        #expect(header[108..<124].elementsEqual("0000000\00000000\0".utf8))  // uid, gid
        #expect(header[136..<148].elementsEqual("00000000000\0".utf8))  // mtime
        #expect(header[156] == UInt8(ascii: "0"))
        #expect(header[265..<329].allSatisfy { $0 == 0 })  // uname, gname
    }

    @Test func aStreamedMemberGetsExactlyItsDeclaredSize() throws {
        var writer = TipArchiveWriter()
        _ = writer.beginFile(name: "attachments/a", size: 10)
        _ = try writer.write(pattern(6))
        #expect(throws: TipArchiveError.moreBytesThanDeclared(name: "attachments/a")) { try writer.write(pattern(5)) }
        #expect(throws: TipArchiveError.fewerBytesThanDeclared(name: "attachments/a")) { try writer.endFile() }
        _ = try writer.write(pattern(4))
        #expect(try writer.endFile() == [UInt8](repeating: 0, count: 502))
    }

    @Test func streamedAndWholeMembersAreTheSameBytes() throws {
        let contents = pattern(1500)
        var whole = TipArchiveWriter(), streamed = TipArchiveWriter()
        let expected = whole.add(file: "attachments/x.bin", contents: contents)
        let bytes = try streamed.beginFile(name: "attachments/x.bin", size: 1500)
            + streamed.write(contents[..<700]) + streamed.write(contents[700...]) + streamed.endFile()
        #expect(bytes == expected)
    }

    @Test(arguments: [0, 1, 500, 4096, 100_000, 1_000_000])
    func theStreamEndsOnAPadmeClass(size: Int) {
        var writer = TipArchiveWriter()
        let members = writer.add(file: "attachments/a", contents: pattern(size))
        let archive = members + writer.finish()
        let classLength = Padme.paddedLength(members.count + 1024)
        #expect(archive.count == (classLength + 511) / 512 * 512)
        #expect(archive[members.count...].allSatisfy { $0 == 0 })
    }

    @Test func tipsOfNearbySizesBecomeFewLengths() {
        let lengths = Set(stride(from: 100_000, to: 102_000, by: 97).map { size in
            var writer = TipArchiveWriter()
            return (writer.add(file: "attachments/a", contents: pattern(size)) + writer.finish()).count
        })
        #expect(lengths.count <= 2)
    }
}
