import Hummingbird
import Markup
import Translation

/// Renders the compiled-in templates into HTML responses, in the request's language: each
/// offered language has its own template library (``LocalizedTemplates``), and every
/// ``Message`` among a page's values is put in that language before it is escaped. Each page
/// carries its language's style block inline, and the policy that allows it (``PageStyle``).
struct PageRenderer: Sendable {
    let languages: SiteLanguages
    private let libraries: [String: MarkupLibrary]
    private let styles: [String: PageStyle]

    init(languages: SiteLanguages) {
        self.languages = languages
        styles = Dictionary(uniqueKeysWithValues: languages.offered.map { ($0.code, PageStyle(catalog: $0.catalog)) })
        let built = languages.offered.concurrentMap { language in
            do {
                return (language.code, try MarkupLibrary(templates: LocalizedTemplates.templates(in: language.catalog)))
            } catch {
                preconditionFailure("a compiled-in template does not parse in \(language.code): \(error)")
            }
        }
        libraries = Dictionary(uniqueKeysWithValues: built)
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
        var values = values.mapValues { Self.value($0, language.catalog) }
        values["language"] = ["code": .text(language.code), "direction": .text(language.direction.rawValue)]
        values["prefix"] = .text(languageCode.map { "/\($0)" } ?? "")
        values["languageMenu"] = menu(request.uri.path, languageCode: languageCode)
        values["hasLanguageMenu"] = .flag(languages.offered.count > 1)
        guard let style = styles[language.code] else { preconditionFailure("no style for \(language.code)") }
        values["style"] = .text(style.block)
        values["noscriptStyle"] = .text(Stylesheet.noscript)
        guard let html = libraries[language.code]?.render(template, values) else {
            preconditionFailure("no template named \(template)")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: style.contentSecurityPolicy],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A link to this page in each offered language, named in itself.
    private func menu(_ path: String, languageCode: String?) -> MarkupValue {
        let current = languages.language(languageCode)
        var plainPath = path
        if let languageCode, path == "/\(languageCode)" || path.hasPrefix("/\(languageCode)/") {
            plainPath = String(path.dropFirst(languageCode.utf8.count + 1))
        }
        if plainPath.isEmpty { plainPath = "/" }
        return .list(languages.offered.map { language in
            [
                "code": .text(language.code), "name": .text(language.name), "current": .flag(language.code == current.code),
                "href": .text(languages.path(plainPath, in: language)),
            ]
        })
    }

    /// A page's value as the templates see it, every message in the page's language, through
    /// dictionaries and arrays. The pages pass only these types; the page tests render them all.
    private static func value(_ value: Any, _ catalog: Catalog) -> MarkupValue {
        switch value {
        case let message as Message: .text(catalog.text(message))
        case let text as String: .text(text)
        case let flag as Bool: .flag(flag)
        case let number as Int: .text("\(number)")
        case let dictionary as [String: Any]: .object(dictionary.mapValues { Self.value($0, catalog) })
        case let array as [Any]: .list(array.map { Self.value($0, catalog) })
        default: preconditionFailure("a page value of type \(type(of: value)), which no template can show")
        }
    }
}
