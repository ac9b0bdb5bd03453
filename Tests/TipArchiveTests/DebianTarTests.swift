@testable import TipArchive
import Foundation
import Testing

/// Against Debian's GNU tar (`make test` installs it): a journalist extracts a tip with
/// `tar -x` and nothing of Ashlink, and what `tar -c` writes, the reader reads.
@Suite struct DebianTarTests {
    static let tar = "/usr/bin/tar"

    static func run(_ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: [UInt8], errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tar)
        process.arguments = arguments
        process.environment = ["TZ": "UTC", "LC_ALL": "C"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(output), String(decoding: errors, as: UTF8.self))
    }

    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let longName = String(repeating: "é", count: 40) + " rapport final.pdf"
    static let members: [(name: String, contents: [UInt8])] = [
        ("message.txt", Array("Bonjour, voici les documents.\n".utf8)),
        ("attachments/report.pdf", pattern(70_000)),
        ("attachments/empty.txt", []),
        ("attachments/" + longName, pattern(513, seed: 7)),
    ]

    /// The members in order, the large one streamed in two pieces as the server will stream it.
    static func tip() throws -> [UInt8] {
        var writer = TipArchiveWriter(), archive: [UInt8] = []
        for (name, contents) in members {
            guard contents.count > 40_000 else {
                archive += writer.add(file: name, contents: contents)
                continue
            }
            archive += writer.beginFile(name: name, size: contents.count)
            archive += try writer.write(contents[..<40_000]) + writer.write(contents[40_000...]) + writer.endFile()
        }
        return archive + writer.finish()
    }

    @Test func tarExtractsWhatTheWriterWrites() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tar), "Debian's tar is not installed")
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(["-x", "-C", folder.path, "-f", "-"], input: try Self.tip())
        #expect(result.status == 0 && result.errors.isEmpty, "\(result.errors)")
        let extracted = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        #expect(extracted == (["attachments"] + Self.members.map(\.name)).sorted())
        for (name, contents) in Self.members {
            #expect(try Array(Data(contentsOf: folder.appendingPathComponent(name))) == contents, "\(name)")
        }
    }

    @Test func tarListsOnlyTheMembersWithTimeZeroAndNoOwner() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tar), "Debian's tar is not installed")
        let names = try Self.run(["-t", "--quoting-style=literal", "-f", "-"], input: try Self.tip())
        #expect(names.status == 0 && names.errors.isEmpty, "\(names.errors)")
        #expect(String(decoding: names.output, as: UTF8.self) == Self.members.map { $0.name + "\n" }.joined())
        let verbose = try Self.run(["-tv", "--quoting-style=literal", "-f", "-"], input: try Self.tip())
        let lines = String(decoding: verbose.output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == Self.members.count)
        for line in lines {
            #expect(line.hasPrefix("-rw------- 0/0 ") && line.contains(" 1970-01-01 00:00 "), "\(line)")
        }
    }

    @Test func theReaderReadsWhatTarCreates() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tar), "Debian's tar is not installed")
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ["folder/a.txt": Array("first\n".utf8), "folder/sub/b.bin": pattern(1500), "folder/sub/empty": []]
        for (name, contents) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents).write(to: url)
        }
        let created = try Self.run(["--format=ustar", "-c", "-C", folder.path, "-f", "-", "folder"])
        #expect(created.status == 0)
        let members = try readArchive(created.output, piece: 1000)
        var directories: Set<String> = [], read: [String: [UInt8]] = [:]
        for member in members {
            switch member {
            case .directory(let name): directories.insert(name)
            case .file(let name, let contents): read[name] = contents
            }
        }
        #expect(directories == ["folder", "folder/sub"])
        #expect(read == files)
    }
}
