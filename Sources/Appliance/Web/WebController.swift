import Hummingbird
import Vault

/// The HTML pages of README's route table ("Pages"): plain forms, 303 redirects, no JavaScript.
struct WebController: Sendable {
    typealias Context = ApplianceRequestContext

    let service: SecretService
    let pages: PageRenderer

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in createPage() }
        router.post("/share") { request, context in try await created(.share, request, context) }
        router.post("/generate") { request, context in try await created(.generatePassword, request, context) }
        let secrets = router.group(RouterPath(SitePath.secret))
        secrets.get(":key", use: confirm)
        secrets.post(":key", use: reveal)
        let receipts = router.group(RouterPath(SitePath.receipt))
        receipts.get(":key", use: receipt)
        receipts.post(":key/burn", use: burn)
        router.get("/static/style.css") { _, _ in stylesheet(Stylesheet.main) }
        router.get("/static/noscript.css") { _, _ in stylesheet(Stylesheet.noscript) }
    }

    private func created(_ kind: CreateKind, _ request: Request, _ context: Context) async throws -> Response {
        let created = try await service.create(kind, from: request, context: context, door: .pages)
        return Response.redirect(to: SitePath.receipt(created.receiptToken), type: .normal)
    }

    @Sendable func confirm(_ request: Request, context: Context) async throws -> Response {
        guard let token = service.token(context), let preview = try await service.vault.preview(token) else {
            return unavailable()
        }
        return confirmPage(token: token, passphraseRequired: preview.passphraseRequired, notice: nil)
    }

    @Sendable func reveal(_ request: Request, context: Context) async throws -> Response {
        let fields = try await service.readFields(request, context: context, door: .pages)
        guard let token = service.token(context) else { return unavailable() }
        let vault = service.vault, passphrase = fields.passphrase
        switch try await context.untilClientLeaves({ try await vault.reveal(token, passphrase: passphrase) }) {
        case .revealed(let value):
            return pages.page("revealed", ["value": String(decoding: value, as: UTF8.self)])
        case .wrongPassphrase(let attemptsLeft):
            let notice = fields.passphrase?.isEmpty ?? true
                ? "This secret needs its passphrase."
                : "That passphrase is not right. \(attemptsLeft) \(attemptsLeft == 1 ? "try remains" : "tries remain") before the secret is deleted."
            return confirmPage(token: token, passphraseRequired: true, notice: notice, status: .forbidden)
        case .unavailable:
            return unavailable()
        }
    }

    @Sendable func receipt(_ request: Request, context: Context) async throws -> Response {
        guard let token = service.token(context), let receipt = try await service.vault.receipt(token) else {
            return receiptNotFound()
        }
        return receiptPage(token: token, receipt: receipt, request: request)
    }

    @Sendable func burn(_ request: Request, context: Context) async throws -> Response {
        _ = try await service.readFields(request, context: context, door: .pages)
        guard let token = service.token(context), try await service.vault.burn(receipt: token) != nil else {
            return receiptNotFound()
        }
        return Response.redirect(to: SitePath.receipt(token), type: .normal)
    }

    private func createPage() -> Response {
        let vault = service.vault.configuration
        let choices = TTLChoices.within(vault.minimumTTL...vault.maximumTTL, default: vault.defaultTTL)
        return pages.page("create", [
            "ttlChoices": choices.map { ["seconds": $0.seconds, "label": $0.label, "selected": $0.seconds == vault.defaultTTL] },
            "maxSecretCharacters": vault.maxSecretBytes,
            "maxPassphraseCharacters": vault.maxPassphraseLength,
            "tipInbox": service.configuration.inbox.isEnabled,
        ])
    }

    private func confirmPage(token: LinkToken, passphraseRequired: Bool, notice: String?, status: HTTPResponse.Status = .ok) -> Response {
        var values: [String: Any] = [
            "secretPath": SitePath.secret(token), "passphraseRequired": passphraseRequired,
            "maxPassphraseCharacters": service.vault.configuration.maxPassphraseLength,
        ]
        if let notice { values["notice"] = notice }
        return pages.page("confirm", values, status: status)
    }

    private func receiptPage(token: LinkToken, receipt: Receipt, request: Request) -> Response {
        let nowMinute = service.now / 60
        var values: [String: Any] = [
            "receiptPath": SitePath.receipt(token),
            "passphraseRequired": receipt.passphraseRequired,
        ]
        switch receipt.state {
        case .new:
            values["stateText"] = "Not read yet"
            values["expiryLabel"] = "Deleted unread"
            values["expiryText"] = "\(CoarseTime.relative(fromMinute: nowMinute, toMinute: receipt.secretExpiresMinute)) (\(CoarseTime.utc(minute: receipt.secretExpiresMinute)))"
        case .received:
            values["stateText"] = "Read, and deleted (\(CoarseTime.utc(minute: receipt.updatedMinute)))"
        case .burned:
            values["stateText"] = "Deleted unread (\(CoarseTime.utc(minute: receipt.updatedMinute)))"
        case .expired:
            values["stateText"] = "Expired unread, and deleted"
        }
        if receipt.state != .new {
            values["expiryLabel"] = "This receipt is forgotten"
            values["expiryText"] = CoarseTime.relative(fromMinute: nowMinute, toMinute: receipt.receiptExpiresMinute)
        }
        if receipt.state == .new, let secretToken = receipt.secretToken {
            values["unread"] = true
            values["shareLink"] = service.baseURL(for: request) + SitePath.secret(secretToken)
            if let copy = receipt.senderCopy { values["generatedPassword"] = String(decoding: copy, as: UTF8.self) }
        }
        return pages.page("receipt", values)
    }

    private func unavailable() -> Response {
        pages.message(
            "This secret is not available",
            "It has already been read, was deleted by its sender, has expired, or the link is incomplete. Ask the sender for a new link.",
            status: .notFound)
    }

    private func receiptNotFound() -> Response {
        pages.message(
            "Receipt not found", "This receipt does not exist or has expired. Receipts are forgotten some time after their secret.",
            status: .notFound)
    }

    private func stylesheet(_ css: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: css)))
    }
}

/// The expiry choices the create form offers, as `<select>` options whose values are seconds.
enum TTLChoices {
    static let standard: [(seconds: Int, label: String)] = [
        (300, "5 minutes"), (1800, "30 minutes"), (3600, "1 hour"), (4 * 3600, "4 hours"), (12 * 3600, "12 hours"),
        (86400, "1 day"), (3 * 86400, "3 days"), (7 * 86400, "7 days"), (14 * 86400, "14 days"), (30 * 86400, "30 days"),
    ]

    static func within(_ range: ClosedRange<Int>, default defaultTTL: Int) -> [(seconds: Int, label: String)] {
        var choices = standard.filter { range.contains($0.seconds) }
        if !choices.contains(where: { $0.seconds == defaultTTL }) {
            choices.append((defaultTTL, "\(defaultTTL / 60) minutes"))
            choices.sort { $0.seconds < $1.seconds }
        }
        return choices
    }
}
