import Hummingbird
import Mustache
import Translation

/// Renders the compiled-in templates into HTML responses, in the request's language: each
/// offered language has its own template library (``LocalizedTemplates``), and every
/// ``Message`` among a page's values is put in that language before Mustache escapes it. Each
/// page carries its language's style block inline, and the policy that allows it (``PageStyle``).
struct PageRenderer: Sendable {
    let languages: SiteLanguages
    private let libraries: [String: MustacheLibrary]
    private let styles: [String: PageStyle]

    init(languages: SiteLanguages) {
        self.languages = languages
        styles = Dictionary(uniqueKeysWithValues: languages.offered.map { ($0.code, PageStyle(catalog: $0.catalog)) })
        var libraries: [String: MustacheLibrary] = [:]
        for language in languages.offered {
            do {
                libraries[language.code] = MustacheLibrary(
                    templates: try LocalizedTemplates.templates(in: language.catalog).mapValues { try MustacheTemplate(string: $0) })
            } catch {
                preconditionFailure("a compiled-in template does not parse in \(language.code): \(error)")
            }
        }
        self.libraries = libraries
    }

    /// What links, forms and redirects start with: empty at the plain addresses, else `/{code}`.
    func prefix(_ context: ApplianceRequestContext) -> String {
        context.languageCode.map { "/\($0)" } ?? ""
    }

    func page(
        _ template: String, _ values: [String: Any], _ request: Request, _ context: ApplianceRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        page(template, values, request, languageCode: context.languageCode, status: status)
    }

    func message(
        _ heading: Message, _ text: Message, _ request: Request, _ context: ApplianceRequestContext, status: HTTPResponse.Status
    ) -> Response {
        page("message", ["heading": heading, "text": text], request, languageCode: context.languageCode, status: status)
    }

    /// The page for a request whose language is known by its code (nil: the plain addresses).
    func page(_ template: String, _ values: [String: Any], _ request: Request, languageCode: String?, status: HTTPResponse.Status) -> Response {
        let language = languages.language(languageCode)
        var values = Self.resolved(values, language.catalog)
        values["language"] = ["code": language.code, "direction": language.direction.rawValue]
        values["prefix"] = languageCode.map { "/\($0)" } ?? ""
        values["languageMenu"] = menu(request.uri.path, languageCode: languageCode)
        values["hasLanguageMenu"] = languages.offered.count > 1
        guard let style = styles[language.code] else { preconditionFailure("no style for \(language.code)") }
        values["style"] = style.block
        values["noscriptStyle"] = Stylesheet.noscript
        guard let html = libraries[language.code]?.render(values, withTemplate: template) else {
            preconditionFailure("no template named \(template)")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: style.contentSecurityPolicy],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A link to this page in each offered language, named in itself.
    private func menu(_ path: String, languageCode: String?) -> [[String: Any]] {
        let current = languages.language(languageCode)
        var plainPath = path
        if let languageCode, path == "/\(languageCode)" || path.hasPrefix("/\(languageCode)/") {
            plainPath = String(path.dropFirst(languageCode.utf8.count + 1))
        }
        if plainPath.isEmpty { plainPath = "/" }
        return languages.offered.map { language in
            [
                "code": language.code, "name": language.name, "current": language.code == current.code,
                "href": languages.path(plainPath, in: language),
            ]
        }
    }

    /// The values with every message in the page's language, through dictionaries and arrays.
    private static func resolved(_ value: Any, _ catalog: Catalog) -> Any {
        switch value {
        case let message as Message: catalog.text(message)
        case let dictionary as [String: Any]: dictionary.mapValues { resolved($0, catalog) }
        case let array as [Any]: array.map { resolved($0, catalog) }
        default: value
        }
    }

    private static func resolved(_ values: [String: Any], _ catalog: Catalog) -> [String: Any] {
        values.mapValues { resolved($0, catalog) }
    }
}
