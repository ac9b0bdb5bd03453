import Hummingbird

/// The API's router group, remembering which methods each path serves.
///
/// Errors inside the group are answered in JSON by the group's middleware. Hummingbird answers a
/// request that matches no route, or a known path asked with a method it does not serve, outside
/// every group; so `answerTheRestInJSON()` gives those requests a not-found route inside the group,
/// and every answer under `/api/v1` stays in Onetime Secret's format.
final class APIRoutes {
    typealias Context = ApplianceRequestContext
    typealias Handler<Output: ResponseGenerator> = @Sendable (Request, Context) async throws -> Output

    private static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]

    private let group: RouterGroup<Context>
    private var served: [(path: RouterPath, methods: Set<HTTPRequest.Method>)] = []

    init(_ group: RouterGroup<Context>) {
        self.group = group
    }

    func get(_ path: RouterPath, use handler: @escaping Handler<some ResponseGenerator>) {
        on(path, .get, use: handler)
    }

    func post(_ path: RouterPath, use handler: @escaping Handler<some ResponseGenerator>) {
        on(path, .post, use: handler)
    }

    /// Registers the not-found routes; call it once, after the last endpoint.
    func answerTheRestInJSON() {
        for (path, methods) in served {
            for method in Self.methods where !methods.contains(method) { notFound(path, method) }
        }
        for method in Self.methods { notFound("**", method) }
    }

    private func on(_ path: RouterPath, _ method: HTTPRequest.Method, use handler: @escaping Handler<some ResponseGenerator>) {
        group.on(path, method: method, use: handler)
        if let index = served.firstIndex(where: { $0.path.description == path.description }) {
            served[index].methods.insert(method)
        } else {
            served.append((path, [method]))
        }
    }

    private func notFound(_ path: RouterPath, _ method: HTTPRequest.Method) {
        group.on(path, method: method) { _, _ -> Response in throw HTTPError(.notFound) }
    }
}
