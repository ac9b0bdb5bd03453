import Hummingbird

/// The tipster's pages (DESIGN.md, "Pages" of the tip inbox): the form, posted as
/// `multipart/form-data`, and the page that says the tip arrived. No JavaScript, the same layout
/// and headers as every other page. Without `inbox_recipients` both answer 404, saying this
/// newsroom has no tip inbox, and no body is read.
struct TipController: Sendable {
    typealias Context = ApplianceRequestContext

    /// Nil when the inbox is off.
    private let intake: TipIntake?
    private let pages: PageRenderer

    init(service: SecretService, pages: PageRenderer) {
        let inbox = service.configuration.inbox
        intake = inbox.isEnabled ? TipIntake(vault: service.vault, inbox: inbox) : nil
        self.pages = pages
    }

    func register(on router: Router<Context>) {
        router.get(RouterPath(SitePath.tip)) { _, _ in form() }
        router.post(RouterPath(SitePath.tip)) { request, _ in try await receive(request) }
    }

    private func form() -> Response {
        guard let intake else { return notSetUp() }
        let limit = intake.limits.maxMessageBytes
        return pages.page("tip", ["maxMessageCharacters": limit, "maxMessageText": TipFormError.spelled(limit)])
    }

    /// The "received" page only once the tip is durable; every refusal is a page of its own
    /// (``ErrorAnswerMiddleware``), and nothing of a refused tip is kept.
    private func receive(_ request: Request) async throws -> Response {
        guard let intake else { return notSetUp() }
        _ = try await intake.receive(request)
        return pages.page("tipReceived", [:])
    }

    private func notSetUp() -> Response {
        pages.message(
            "No tip inbox here", "This newsroom's tip inbox is not set up, so this address cannot take tips.", status: .notFound)
    }
}
