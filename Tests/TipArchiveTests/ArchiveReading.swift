@testable import TipArchive

/// What a reader's events add up to, checked for order as they come: data only inside a file,
/// exactly the declared size, every file ended.
enum Member: Equatable, Sendable {
    case file(String, [UInt8])
    case directory(String)
}

func readArchive(_ archive: [UInt8], piece: Int = 4096) throws(TipArchiveError) -> [Member] {
    var reader = TipArchiveReader()
    var members: [Member] = []
    var open: (name: String, size: Int, data: [UInt8])?
    var start = 0
    while start < archive.count {
        let end = min(start + piece, archive.count)
        for event in try reader.consume(archive[start..<end]) {
            switch event {
            case .file(let name, let size):
                precondition(open == nil, "a file inside a file")
                open = (name, size, [])
            case .data(let bytes):
                open!.data += bytes
            case .endOfFile:
                precondition(open!.data.count == open!.size, "a file of another size than declared")
                members.append(.file(open!.name, open!.data))
                open = nil
            case .directory(let name):
                members.append(.directory(name))
            }
        }
        start = end
    }
    try reader.finish()
    return members
}

/// A header as the writer would make it, then bent by `change`, its checksum made right again:
/// the archives a forger could make.
func forgedHeader(_ name: String, size: Int = 0, typeflag: UInt8 = TarHeader.regularFile,
                  change: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
    var block = TarHeader.encode(name: name, size: size, typeflag: typeflag)!
    change(&block)
    block.replaceSubrange(148..<156, with: Array("        ".utf8))
    let sum = block.reduce(0) { $0 + Int($1) }
    let digits = Array(String(sum, radix: 8).utf8)
    block.replaceSubrange(148..<156, with: [UInt8](repeating: 0x30, count: 6 - digits.count) + digits + [0, 0x20])
    return block
}

let endOfArchive = [UInt8](repeating: 0, count: 1024)

/// Bytes that are not all alike, so a shifted or misplaced chunk shows.
func pattern(_ count: Int, seed: Int = 1) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 131) ^ ($0 >> 8) &+ seed) }
}
