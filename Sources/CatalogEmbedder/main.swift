#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Usage: CatalogEmbedder OUTPUT.swift CATALOG.po…
/// Writes a Swift source that gives each catalog's name and text as `EmbeddedCatalogs.files`.
/// Run by the EmbedCatalogs build plugin; nothing here parses a catalog.

func fail(_ message: String) -> Never {
    let line = Array("CatalogEmbedder: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func contents(of path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        bytes += chunk[..<count]
        if count < chunk.count { break }
    }
    guard ferror(file) == 0 else { fail("cannot read \(path)") }
    return bytes
}

/// A Swift string literal: nothing but printable text between the quotes.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else { fail("usage: CatalogEmbedder OUTPUT.swift CATALOG.po…") }
var source = "// Generated at build time by CatalogEmbedder from Locales/*.po; do not edit.\n"
source += "extension EmbeddedCatalogs {\n    public static let files: [File] = [\n"
for path in arguments.dropFirst() {
    guard let text = String(validating: contents(of: path), as: UTF8.self) else { fail("\(path) is not UTF-8") }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    source += "        File(name: \(literal(name)), text: \(literal(text))),\n"
}
source += "    ]\n}\n"

guard let file = fopen(output, "wb") else { fail("cannot write \(output)") }
let bytes = Array(source.utf8)
guard fwrite(bytes, 1, bytes.count, file) == bytes.count, fclose(file) == 0 else { fail("cannot write \(output)") }
