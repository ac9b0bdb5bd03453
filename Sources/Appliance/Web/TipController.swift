import Hummingbird
import Translation
import Vault

/// The tipster's pages (DESIGN.md, "Pages" of the tip inbox): the tip form, posted as
/// `multipart/form-data`, the page that says the tip arrived (with a new conversation's
/// codename), and the replies pages, where a codename opens the newsroom's replies once and
/// leads to the follow-up form. No JavaScript, the same layout and headers as every other page.
/// Without `inbox_recipients` every one answers 404, saying this newsroom has no tip inbox, and
/// no body is read.
struct TipController: Sendable {
    typealias Context = ApplianceRequestContext

    /// Nil when the inbox is off.
    private let intake: TipIntake?
    private let pickup: ReplyPickup
    /// How long an unread reply waits, as the replies page says it.
    private let replyWait: Message
    private let pages: PageRenderer

    init(service: SecretService, pages: PageRenderer) {
        let inbox = service.configuration.inbox
        intake = inbox.isEnabled ? TipIntake(vault: service.vault, inbox: inbox) : nil
        pickup = ReplyPickup(vault: service.vault)
        let ttl = service.vault.configuration.replyTTL
        replyWait = ttl >= 2 * 86400
            ? Message(one: "{count} day", other: "{count} days", count: ttl / 86400)
            : Message(one: "{count} hour", other: "{count} hours", count: max(ttl / 3600, 1))
        self.pages = pages
    }

    func register(on router: some RouterMethods<Context>) {
        router.get(RouterPath(SitePath.tip)) { request, context in form(request, context) }
        router.post(RouterPath(SitePath.tip)) { request, context in try await receive(request, context) }
        router.get(RouterPath(SitePath.replies)) { request, context in repliesForm(request, context) }
        router.post(RouterPath(SitePath.replies)) { request, context in try await replies(request, context) }
    }

    private func form(_ request: Request, _ context: Context) -> Response {
        guard let intake else { return notSetUp(request, context) }
        return pages.page("tip", Self.formValues(intake.limits), request, context)
    }

    /// The "received" page only once the tip is durable; every refusal is a page of its own
    /// (``ErrorAnswerMiddleware``), and nothing of a refused tip is kept.
    private func receive(_ request: Request, _ context: Context) async throws -> Response {
        guard let intake else { return notSetUp(request, context) }
        switch try await intake.receive(request) {
        case .started(let codename):
            return pages.page("tipReceived", ["started": true, "codename": codename.text], request, context)
        case .continued:
            return pages.page("tipReceived", ["started": false], request, context)
        }
    }

    private func repliesForm(_ request: Request, _ context: Context) -> Response {
        guard let intake else { return notSetUp(request, context) }
        return pages.page("repliesForm", ["maxCodenameCharacters": intake.limits.maxCodenameBytes], request, context)
    }

    /// The waiting replies, shown this once (the take deleted them), and the follow-up form. An
    /// unknown codename takes the same path to the same page; a full Argon2 gate is a 503 page
    /// at once (``ErrorAnswer``).
    private func replies(_ request: Request, _ context: Context) async throws -> Response {
        guard let intake else { return notSetUp(request, context) }
        let codename = try await CodenameForm.read(request)
        let pickup = self.pickup
        let replies = try await context.untilClientLeaves { try await pickup.take(codename) }
        var values = Self.formValues(intake.limits)
        values["codename"] = codename.text
        values["replyWait"] = replyWait
        values["hasReplies"] = !replies.texts.isEmpty
        values["replies"] = replies.texts.enumerated().map { ["number": $0.offset + 1, "text": $0.element] }
        if replies.unreadable > 0 {
            values["unreadableText"] = Message(
                one: "{count} reply could not be opened with your codename, and was deleted.",
                other: "{count} replies could not be opened with your codename, and were deleted.",
                count: replies.unreadable)
        }
        return pages.page("replies", values, request, context)
    }

    /// What the message and file fields say of the limits, on the tip and follow-up forms.
    private static func formValues(_ limits: TipForm.Limits) -> [String: Any] {
        [
            "maxMessageCharacters": limits.maxMessageBytes, "maxMessageText": TipFormError.spelled(limits.maxMessageBytes),
            "maxFilesText": Message(one: "{count} file", other: "{count} files", count: limits.maxFiles),
            "maxTipText": TipFormError.spelled(limits.maxTipBytes),
        ]
    }

    private func notSetUp(_ request: Request, _ context: Context) -> Response {
        pages.message(
            Message("No tip inbox here"), Message("This newsroom's tip inbox is not set up, so this address cannot take tips."),
            request, context, status: .notFound)
    }
}
