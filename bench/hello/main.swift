import Hummingbird

// The HTTP ceiling of the machine the bench runs on: Hummingbird with one route and nothing
// else, built with the release binary's flags, loaded with the same `wrk` settings as Ashlink's
// cheapest route. Its answer is the bytes of `GET /api/v1/status`, so both write as much.
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let answer = #"{"locale":"en","status":"nominal"}"#

let router = Router()
router.get("/api/v1/status") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
}
let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await application.runService()
