/// One recipient stanza of an age header: `-> ARG ARG…` and a base64 body.
struct Stanza: Sendable, Equatable {
    var arguments: [String]
    var body: [UInt8]
}

/// The textual age v1 header (C2SP age, "Header"): a version line, one or more stanzas and the
/// MAC line. Parsing is strict: anything outside the ABNF is a header failure, as the test
/// vectors expect, so two parsers can never disagree on what a header says.
struct Header: Sendable {
    static let versionLine = "age-encryption.org/v1"
    static let columns = 64

    var stanzas: [Stanza]
    var mac: [UInt8]
    /// What the MAC covers: the header up to and including the `---` of the MAC line.
    var authenticatedBytes: [UInt8]

    /// Where the MAC line starts in `bytes` (searching from `searchStart`), or nil if it has not
    /// arrived yet. The MAC line is the first line starting with `---`: no other line of a header
    /// can start with `-` followed by `--`.
    static func macLineStart(in bytes: [UInt8], from searchStart: Int) -> Int? {
        let dash = UInt8(ascii: "-")
        var index = max(searchStart, 0)
        while index + 3 < bytes.count {
            if bytes[index] == UInt8(ascii: "\n"), bytes[index + 1] == dash, bytes[index + 2] == dash, bytes[index + 3] == dash {
                return index + 1
            }
            index += 1
        }
        return nil
    }

    init(parsing bytes: ArraySlice<UInt8>) throws(AgeError) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else { throw .headerFailure("the header does not end with a line feed") }
        lines.removeLast()
        guard let version = lines.first else { throw .headerFailure("empty file") }
        guard version.elementsEqual(Self.versionLine.utf8) else {
            throw .headerFailure(version.starts(with: "age-encryption.org/".utf8)
                ? "unsupported age version" : "not an age file (no age-encryption.org/v1 line)")
        }
        var index = 1
        var stanzas: [Stanza] = []
        while index < lines.count, lines[index].starts(with: "->".utf8) {
            let (stanza, next) = try Self.stanza(lines, at: index)
            stanzas.append(stanza)
            index = next
        }
        guard !stanzas.isEmpty else { throw .headerFailure("the header has no recipient stanza") }
        guard index == lines.count - 1 else { throw .headerFailure("unexpected line in the header") }
        let macLine = lines[index]
        guard macLine.count == 4 + 43, macLine.starts(with: "--- ".utf8),
              let mac = Base64Unpadded.decode(macLine.dropFirst(4)), mac.count == 32 else {
            throw .headerFailure("malformed MAC line")
        }
        self.stanzas = stanzas
        self.mac = mac
        authenticatedBytes = Array(bytes[bytes.startIndex..<(macLine.startIndex + 3)])
    }

    private static func stanza(_ lines: [ArraySlice<UInt8>], at start: Int) throws(AgeError) -> (Stanza, Int) {
        let argumentLine = lines[start]
        guard argumentLine.starts(with: "-> ".utf8) else { throw .headerFailure("malformed stanza line") }
        let arguments = argumentLine.dropFirst(3).split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard !arguments.isEmpty, arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (0x21...0x7e).contains($0) } }) else {
            throw .headerFailure("malformed stanza arguments")
        }
        var body: [UInt8] = []
        var index = start + 1
        while true {
            guard index < lines.count else { throw .headerFailure("a stanza has no final body line") }
            let line = lines[index]
            guard line.count <= columns, line.allSatisfy(Base64Unpadded.isAlphabet) else {
                throw .headerFailure("malformed stanza body line")
            }
            body += line
            index += 1
            if line.count < columns { break }
        }
        guard let decoded = Base64Unpadded.decode(body) else { throw .headerFailure("stanza body is not canonical base64") }
        return (Stanza(arguments: arguments.map { String(decoding: $0, as: UTF8.self) }, body: decoded), index)
    }

    /// The encoded header for `stanzas`, its MAC keyed from `fileKey`.
    static func encode(_ stanzas: [Stanza], fileKey: [UInt8]) -> [UInt8] {
        let text = authenticatedText(stanzas)
        let mac = macOf(text, fileKey: fileKey)
        return text + Array(" ".utf8) + Base64Unpadded.encode(mac) + [UInt8(ascii: "\n")]
    }

    /// The canonical text of `stanzas` up to and including the `---` of the MAC line: what the MAC
    /// covers. A header that parses has exactly this text (the fuzz target checks it), so parsing
    /// and encoding agree on every byte.
    static func authenticatedText(_ stanzas: [Stanza]) -> [UInt8] {
        var text = Array((versionLine + "\n").utf8)
        for stanza in stanzas {
            text += Array(("-> " + stanza.arguments.joined(separator: " ") + "\n").utf8)
            let body = Base64Unpadded.encode(stanza.body)
            var offset = 0
            repeat {
                let line = body[offset..<min(offset + columns, body.count)]
                text += line + [UInt8(ascii: "\n")]
                offset += columns
            } while offset <= body.count
        }
        return text + Array("---".utf8)
    }

    static func macOf(_ authenticated: [UInt8], fileKey: [UInt8]) -> [UInt8] {
        var key = Primitives.hkdf(secret: fileKey, salt: [], info: "header")
        defer { Primitives.wipe(&key) }
        return Primitives.hmacSHA256(key: key, authenticated)
    }
}
