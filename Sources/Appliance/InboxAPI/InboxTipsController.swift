import Hummingbird
import NIOCore
import Vault

/// The journalists' tip routes (DESIGN.md, "Journalists' API"): list, fetch, acknowledge. An id
/// that is malformed, unknown or already acknowledged gets the same 404: a fetch never says
/// whether a tip once existed.
struct InboxTipsController: Sendable {
    typealias Context = ApplianceRequestContext

    let vault: Vault

    func register(on router: Router<Context>) {
        let tips = router.group("inbox/v1/tips")
        tips.get(use: list)
        tips.get(":id", use: fetch)
        tips.delete(":id", use: acknowledge)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> InboxAnswer.TipList {
        InboxAnswer.TipList(tips: try await vault.tips().map(InboxAnswer.Tip.init))
    }

    /// The stored age file, one stored chunk at a time, under the Content-Length of the whole.
    @Sendable func fetch(_ request: Request, context: Context) async throws -> Response {
        guard let id = Self.tipID(context), let reader = try await vault.openTip(id) else { throw Self.unknownTip }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(id).age\""],
            body: TipStream.body(reader))
    }

    @Sendable func acknowledge(_ request: Request, context: Context) async throws -> Response {
        guard let id = Self.tipID(context), try await vault.deleteTip(id) else { throw Self.unknownTip }
        return Response(status: .noContent)
    }

    private static func tipID(_ context: Context) -> TipID? {
        context.parameters.get("id").flatMap { TipID($0) }
    }

    private static let unknownTip = UserFacingError(.notFound, "No such tip: unknown, or already acknowledged.")
}

/// A tip's bytes as a response body that announces the tip's length. A tip acknowledged by
/// someone else while it streams ends early: the body then throws instead of finishing, so the
/// server closes the connection and the client sees fewer bytes than announced, never a short
/// file that looks whole, nor the next answer taken for the rest of this one.
enum TipStream {
    struct Cut: Error {}

    static func body(_ reader: TipReader) -> ResponseBody {
        ResponseBody(contentLength: reader.tip.bytes) { writer in
            var sent = 0
            var index = 0
            while let chunk = try await reader.chunk(index) {
                sent += chunk.count
                guard sent <= reader.tip.bytes else { throw Cut() }
                try await writer.write(ByteBuffer(bytes: chunk))
                index += 1
            }
            guard sent == reader.tip.bytes else { throw Cut() }
            try await writer.finish(nil)
        }
    }
}
