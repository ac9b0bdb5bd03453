import Hummingbird
import Mustache

/// Renders the compiled-in templates into HTML responses.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() {
        do {
            library = MustacheLibrary(templates: try Templates.all.mapValues { try MustacheTemplate(string: $0) })
        } catch {
            preconditionFailure("a compiled-in template does not parse: \(error)")
        }
    }

    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(values, withTemplate: template) else {
            preconditionFailure("no template named \(template)")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func message(_ heading: String, _ text: String, status: HTTPResponse.Status) -> Response {
        page("message", ["heading": heading, "text": text], status: status)
    }
}
