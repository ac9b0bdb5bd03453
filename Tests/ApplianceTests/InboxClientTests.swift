import Glibc
import NIOCore
import Vault
import XCTest
@testable import Appliance

/// What `inbox fetch` takes from a server it does not trust, and from the journalist's files,
/// before any of it becomes a file name, a request header or a line on the terminal.
final class InboxClientTests: XCTestCase {
    private let id = "mfrggzdfmztwq2lknnwg23tpoa"  // base32 of "abcdefghijklmnop", 16 bytes

    private func listing(_ entries: String) throws -> [ListedTip] {
        try TipListing.parse(Array(#"{"tips": [\#(entries)]}"#.utf8))
    }

    private func refusal(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func testOnlyTheTipIdFormBecomesAFileName() {
        XCTAssertEqual(TipID(id)?.text, id)
        for hostile in [
            "../../../../etc/cron.d/x", "mfrggzdfmztwq2lknnwg23tpo/", ".frggzdfmztwq2lknnwg23tpoa", "MFRGGZDFMZTWQ2LKNNWG23TPOA",
            "mfrggzdfmztwq2lknnwg23tpo", "mfrggzdfmztwq2lknnwg23tpoaa", "mfrggzdfmztwq2lknnwg23tpob", "", "mfrggzdfmztwq2lknnwg23tp0a",
        ] {
            XCTAssertNil(TipID(hostile), hostile)
        }
    }

    func testAListingIsCheckedEntryByEntry() throws {
        let tips = try listing(#"{"id": "\#(id)", "bytes": 2048, "received": "2026-12-01"}"#)
        XCTAssertEqual(tips, [ListedTip(id: TipID(id)!, bytes: 2048, received: "2026-12-01")])
        XCTAssertEqual(try listing(""), [])

        XCTAssertTrue(refusal { try self.listing(#"{"id": "../x", "bytes": 1, "received": "2026-12-01"}"#) }.contains("not one"))
        XCTAssertTrue(refusal { try self.listing(#"{"id": "\#(id)", "bytes": 0, "received": "2026-12-01"}"#) }.contains("0 bytes"))
        XCTAssertTrue(refusal { try self.listing(#"{"id": "\#(id)", "bytes": 1, "received": "2026-12-01\u001b[2J"}"#) }.contains("YYYY-MM-DD"))
        let twice = #"{"id": "\#(id)", "bytes": 1, "received": "2026-12-01"}"#
        XCTAssertTrue(refusal { try self.listing(twice + "," + twice) }.contains("twice"))
        XCTAssertTrue(refusal { try TipListing.parse(Array("<html>".utf8)) }.contains("not the JSON"))
        XCTAssertTrue(refusal { try TipListing.parse(Array(#"{"tips": [{"id": 5}]}"#.utf8)) }.contains("not the JSON"))
    }

    func testTheDownloadMustBeExactlyTheListedLength() throws {
        let length = try TipLength(listed: 70_000, contentLength: ["70000"])
        XCTAssertNoThrow(try length.check(received: 70_000))
        XCTAssertEqual(refusal { try length.check(received: 65_536) }, "65536 of the tip's 70000 bytes arrived")
        XCTAssertEqual(refusal { try TipLength(listed: 70_000, contentLength: ["69999"]) }, "the inbox announced 69999 bytes for a tip it listed with 70000")
        for header in [[], ["70000", "70000"], ["+70000"], [" 70000"], ["7e4"], [""]] {
            XCTAssertEqual(refusal { try TipLength(listed: 70_000, contentLength: header) },
                           "the inbox sent the tip without one plain Content-Length", "\(header)")
        }
    }

    func testTheTokenFileHoldsOneTokenLine() throws {
        let token = InboxAccess.generate().token
        XCTAssertEqual(try AccessTokenFile.token(in: token + "\n", of: "t"), token)
        XCTAssertEqual(try AccessTokenFile.token(in: token + "\r\n", of: "t"), token)
        XCTAssertTrue(refusal { try AccessTokenFile.token(in: "\n", of: "t") }.contains("t is empty"))
        XCTAssertTrue(refusal { try AccessTokenFile.token(in: token + "\n" + token + "\n", of: "t") }.contains("does not hold an access token"))
        XCTAssertTrue(refusal { try AccessTokenFile.token(in: String(token.dropLast()) + "\n", of: "t") }.contains("does not hold an access token"))
        XCTAssertTrue(refusal { try AccessTokenFile.token(in: "ashlink-access-v1-" + token, of: "t") }.contains("holds a verifier"))
    }

    func testATokenFileOtherAccountsMayReadIsRefused() throws {
        let folder = try temporaryFolder()
        let path = folder + "/inbox.token"
        let token = InboxAccess.generate().token
        XCTAssertTrue(refusal { try AccessTokenFile.read(path) }.contains("No such file"))
        Array((token + "\n").utf8).withUnsafeBytes { bytes in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            XCTAssertEqual(write(descriptor, bytes.baseAddress, bytes.count), bytes.count)
            close(descriptor)
        }
        XCTAssertEqual(try AccessTokenFile.read(path), token)
        XCTAssertEqual(chmod(path, 0o640), 0)
        XCTAssertEqual(refusal { try AccessTokenFile.read(path) }, "\(path): other accounts may read or change it (mode 640): chmod 600 \(path)")
        XCTAssertEqual(chmod(path, 0o602), 0)
        XCTAssertTrue(refusal { try AccessTokenFile.read(path) }.contains("mode 602"))
    }

    func testAServersErrorTextIsShownWithoutWhatATerminalWouldObey() {
        XCTAssertEqual(APIErrorText.parse(Array(#"{"error": "no such tip"}"#.utf8)), "no such tip")
        XCTAssertEqual(APIErrorText.parse(Array(#"{"error": "\u001b]0;owned\u0007gone\u202e\nnow"}"#.utf8)), "]0;ownedgonenow")
        XCTAssertEqual(APIErrorText.parse(Array(#"{"error": "\#(String(repeating: "x", count: 500))"}"#.utf8))?.count, 200)
        XCTAssertNil(APIErrorText.parse(Array("Internal Server Error".utf8)))
    }

    func testAFileAlreadyNamedForATipIsKeptWholeOrNeverReplaced() throws {
        let folder = try temporaryFolder()
        let file = TipFile(folder: folder, id: TipID(id)!)
        XCTAssertEqual(try file.state(expecting: 5), .absent)
        let stale = open(file.partialPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        XCTAssertEqual(write(stale, "left by a run that was killed", 29), 29)
        close(stale)
        var partial = try file.beginPartial()
        try partial.write(.init(bytes: Array("whole".utf8)))
        try partial.commit()
        XCTAssertEqual(try file.state(expecting: 5), .complete, "the stale partial file was replaced, not appended to")
        guard case .conflicting(let reason) = try file.state(expecting: 6) else { return XCTFail("a different size is not the tip") }
        XCTAssertTrue(reason.contains("exists with 5 bytes, the inbox lists 6"), reason)
        XCTAssertEqual(access(file.partialPath, F_OK), -1)

        var abandoned = try TipFile(folder: folder, id: TipID("aaaaaaaaaaaaaaaaaaaaaaaaaa")!).beginPartial()
        try abandoned.write(.init(bytes: [1, 2, 3]))
        abandoned.discard()
        XCTAssertEqual(try listFolder(folder), [id + ".age"])
    }

    func testOneFetchAtATimeWritesIntoAFolder() throws {
        let folder = try temporaryFolder()
        let first = try OutputFolder(folder + "//")
        XCTAssertEqual(first.path, folder)
        XCTAssertEqual(refusal { _ = try OutputFolder(folder) }, "another inbox fetch is writing into \(folder)")
        XCTAssertTrue(refusal { _ = try OutputFolder(folder + "/missing") }.contains("the output folder must exist"))
        _ = consume first
        let next = try OutputFolder(folder)
        XCTAssertEqual(next.path, folder, "the lock ends with the fetch that held it")
    }

    private func temporaryFolder() throws -> String {
        var template = Array("/tmp/ashlink-fetch-test-XXXXXX".utf8CString)
        let path = try XCTUnwrap(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        addTeardownBlock {
            for name in (try? self.listFolder(path)) ?? [] { unlink(path + "/" + name) }
            rmdir(path)
        }
        return path
    }

    private func listFolder(_ path: String) throws -> [String] {
        let directory = try XCTUnwrap(opendir(path))
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
