import Age
import Glibc
import TipArchive

/// Decrypts one stored tip (`<id>.age`) into the folder `<output>/<id>/`, as it streams: age →
/// tar → files. Until the whole tip has decrypted and its archive ended, everything goes into a
/// hidden `.<id>.partial` folder beside it; only then is that renamed into place, so a damaged,
/// truncated or foreign tip never leaves anything that looks like a whole tip behind.
struct TipExtraction {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let identities: [AgeIdentity]

    /// The folder the tip went into.
    func extract(_ tipPath: String, into output: String) throws(Failure) -> String {
        let name = String(tipPath.split(separator: "/").last ?? "")
        let id = name.hasSuffix(".age") ? String(name.dropLast(4)) : name
        guard !id.isEmpty, !id.hasPrefix(".") else { throw Failure(description: "\(tipPath): not a tip file name") }
        let target = output + "/" + id
        let partial = output + "/." + id + ".partial"
        guard access(target, F_OK) != 0 else { throw Failure(description: "\(target) already exists: remove it to decrypt again") }
        var files = PartialFolder(root: partial)
        do {
            try files.begin()
            try stream(tipPath, into: &files)
            try files.commit(as: target, syncing: output)
        } catch {
            files.discard()
            throw Failure(description: "\(tipPath): \(error)")
        }
        return target
    }

    private func stream(_ tipPath: String, into files: inout PartialFolder) throws {
        let descriptor = open(tipPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var decryptor = AgeDecryptor(identities: identities)
        var archive = TipArchiveReader()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            try files.apply(try archive.consume(try decryptor.consume(chunk[..<count])))
        }
        try files.apply(try archive.consume(try decryptor.finish()))
        try archive.finish()
    }
}
