import Hummingbird

/// The tipster's pages (DESIGN.md, "Pages" of the tip inbox): the form, posted as
/// `multipart/form-data`, and the page that says the tip arrived. No JavaScript, the same layout
/// and headers as every other page. Without `inbox_recipients` both answer 404, saying this
/// newsroom has no tip inbox, and no body is read.
struct TipController: Sendable {
    typealias Context = ApplianceRequestContext

    let service: SecretService
    let pages: PageRenderer

    func register(on router: Router<Context>) {
        router.get(RouterPath(SitePath.tip)) { _, _ in form() }
    }

    private var inbox: InboxSettings { service.configuration.inbox }

    private func form() -> Response {
        guard inbox.isEnabled else { return notSetUp() }
        let limit = TipForm.Limits(maxTipBytes: inbox.maxTipBytes).maxMessageBytes
        return pages.page("tip", ["maxMessageCharacters": limit, "maxMessageText": TipFormError.spelled(limit)])
    }

    private func notSetUp() -> Response {
        pages.message(
            "No tip inbox here", "This newsroom's tip inbox is not set up, so this address cannot take tips.", status: .notFound)
    }
}
