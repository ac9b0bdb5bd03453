/// `multipart/form-data` bodies written out byte by byte, as a browser sends them, so the tests
/// see exactly what goes on the wire.
struct MultipartBody {
    var boundary = "----AshlinkBoundary7MA4YWxk"

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func part(_ headers: [String], _ content: [UInt8]) -> [UInt8] {
        Array("--\(boundary)\r\n\(headers.joined(separator: "\r\n"))\r\n\r\n".utf8) + content + Array("\r\n".utf8)
    }

    func field(_ name: String, _ content: some StringProtocol) -> [UInt8] {
        part(["Content-Disposition: form-data; name=\"\(name)\""], Array(content.utf8))
    }

    /// What a browser sends for an `<input type=file>` where nothing was chosen.
    var noFileChosen: [UInt8] {
        part(["Content-Disposition: form-data; name=\"file\"; filename=\"\"", "Content-Type: application/octet-stream"], [])
    }

    func file(_ name: String, _ content: [UInt8]) -> [UInt8] {
        part(["Content-Disposition: form-data; name=\"file\"; filename=\"\(name)\"", "Content-Type: application/octet-stream"], content)
    }

    /// The parts, then the closing boundary and its line break.
    func form(_ parts: [UInt8]...) -> [UInt8] { closed(parts) }

    func closed(_ parts: [[UInt8]]) -> [UInt8] {
        parts.reduce([], +) + Array("--\(boundary)--\r\n".utf8)
    }

    /// What the tip form sends for a message and no file.
    func tip(_ message: some StringProtocol) -> [UInt8] {
        form(field("message", message), noFileChosen)
    }
}
