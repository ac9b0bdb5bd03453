import Hummingbird
import Translation
import Vault

/// The HTML pages of README's route table ("Pages"): plain forms, 303 redirects, no JavaScript.
/// Registered once at the root and once under each language's prefix (``SiteLanguages``); every
/// link, form and redirect keeps the prefix the request came with, except the share link, which
/// leaves the language to its recipient.
struct WebController: Sendable {
    typealias Context = ApplianceRequestContext

    let service: SecretService
    let pages: PageRenderer

    func register(on router: some RouterMethods<Context>) {
        router.get("/") { request, context in createPage(request, context) }
        router.post("/share") { request, context in try await created(.share, request, context) }
        router.post("/generate") { request, context in try await created(.generatePassword, request, context) }
        let secrets = router.group(RouterPath(SitePath.secret))
        secrets.get(":key", use: confirm)
        secrets.post(":key", use: reveal)
        let receipts = router.group(RouterPath(SitePath.receipt))
        receipts.get(":key", use: receipt)
        receipts.post(":key/burn", use: burn)
    }

    private func created(_ kind: CreateKind, _ request: Request, _ context: Context) async throws -> Response {
        let created = try await service.create(kind, from: request, context: context, door: .pages)
        return Response.redirect(to: pages.prefix(context) + SitePath.receipt(created.receiptToken), type: .normal)
    }

    @Sendable func confirm(_ request: Request, context: Context) async throws -> Response {
        guard let token = service.token(context), let preview = try await service.vault.preview(token) else {
            return unavailable(request, context)
        }
        return confirmPage(token: token, passphraseRequired: preview.passphraseRequired, notice: nil, request, context)
    }

    @Sendable func reveal(_ request: Request, context: Context) async throws -> Response {
        let fields = try await service.readFields(request, context: context, door: .pages)
        guard let token = service.token(context) else { return unavailable(request, context) }
        let vault = service.vault, passphrase = fields.passphrase
        switch try await context.untilClientLeaves({ try await vault.reveal(token, passphrase: passphrase) }) {
        case .revealed(let value):
            return pages.page("revealed", ["value": String(decoding: value, as: UTF8.self)], request, context)
        case .wrongPassphrase(let attemptsLeft):
            let notice = fields.passphrase?.isEmpty ?? true
                ? Message("This secret needs its passphrase.")
                : Message(
                    one: "That passphrase is not right. {count} try remains before the secret is deleted.",
                    other: "That passphrase is not right. {count} tries remain before the secret is deleted.",
                    count: attemptsLeft)
            return confirmPage(token: token, passphraseRequired: true, notice: notice, request, context, status: .forbidden)
        case .unavailable:
            return unavailable(request, context)
        }
    }

    @Sendable func receipt(_ request: Request, context: Context) async throws -> Response {
        guard let token = service.token(context), let receipt = try await service.vault.receipt(token) else {
            return receiptNotFound(request, context)
        }
        return receiptPage(token: token, receipt: receipt, request, context)
    }

    @Sendable func burn(_ request: Request, context: Context) async throws -> Response {
        _ = try await service.readFields(request, context: context, door: .pages)
        guard let token = service.token(context), try await service.vault.burn(receipt: token) != nil else {
            return receiptNotFound(request, context)
        }
        return Response.redirect(to: pages.prefix(context) + SitePath.receipt(token), type: .normal)
    }

    private func createPage(_ request: Request, _ context: Context) -> Response {
        let vault = service.vault.configuration
        let choices = TTLChoices.within(vault.minimumTTL...vault.maximumTTL, default: vault.defaultTTL)
        return pages.page("create", [
            "ttlChoices": choices.map { ["seconds": $0, "label": TTLChoices.label($0), "selected": $0 == vault.defaultTTL] },
            "maxSecretCharacters": vault.maxSecretBytes,
            "maxPassphraseCharacters": vault.maxPassphraseLength,
            "tipInbox": service.configuration.inbox.isEnabled,
        ], request, context)
    }

    private func confirmPage(
        token: LinkToken, passphraseRequired: Bool, notice: Message?, _ request: Request, _ context: Context,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = [
            "secretPath": SitePath.secret(token), "passphraseRequired": passphraseRequired,
            "maxPassphraseCharacters": service.vault.configuration.maxPassphraseLength,
        ]
        if let notice { values["notice"] = notice }
        return pages.page("confirm", values, request, context, status: status)
    }

    private func receiptPage(token: LinkToken, receipt: Receipt, _ request: Request, _ context: Context) -> Response {
        let nowMinute = service.now / 60
        var values: [String: Any] = [
            "receiptPath": SitePath.receipt(token),
            "passphraseRequired": receipt.passphraseRequired,
        ]
        switch receipt.state {
        case .new:
            values["stateText"] = Message("Not read yet")
            values["expiryLabel"] = Message("Deleted unread")
            values["expiryText"] = Message("{when} ({time})", [
                "when": .message(CoarseTime.relative(fromMinute: nowMinute, toMinute: receipt.secretExpiresMinute)),
                "time": "\(CoarseTime.utc(minute: receipt.secretExpiresMinute))",
            ])
        case .received:
            values["stateText"] = Message("Read, and deleted ({time})", ["time": "\(CoarseTime.utc(minute: receipt.updatedMinute))"])
        case .burned:
            values["stateText"] = Message("Deleted unread ({time})", ["time": "\(CoarseTime.utc(minute: receipt.updatedMinute))"])
        case .expired:
            values["stateText"] = Message("Expired unread, and deleted")
        }
        if receipt.state != .new {
            values["expiryLabel"] = Message("This receipt is forgotten")
            values["expiryText"] = CoarseTime.relative(fromMinute: nowMinute, toMinute: receipt.receiptExpiresMinute)
        }
        if receipt.state == .new, let secretToken = receipt.secretToken {
            values["unread"] = true
            values["shareLink"] = service.baseURL(for: request) + SitePath.secret(secretToken)
            if let copy = receipt.senderCopy { values["generatedPassword"] = String(decoding: copy, as: UTF8.self) }
        }
        return pages.page("receipt", values, request, context)
    }

    private func unavailable(_ request: Request, _ context: Context) -> Response {
        pages.message(
            Message("This secret is not available"),
            Message("It has already been read, was deleted by its sender, has expired, or the link is incomplete. Ask the sender for a new link."),
            request, context, status: .notFound)
    }

    private func receiptNotFound(_ request: Request, _ context: Context) -> Response {
        pages.message(
            Message("Receipt not found"),
            Message("This receipt does not exist or has expired. Receipts are forgotten some time after their secret."),
            request, context, status: .notFound)
    }
}

/// The expiry choices the create form offers, as `<select>` options whose values are seconds.
enum TTLChoices {
    static let standard = [300, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400]

    static func within(_ range: ClosedRange<Int>, default defaultTTL: Int) -> [Int] {
        var choices = standard.filter { range.contains($0) }
        if !choices.contains(defaultTTL) {
            choices.append(defaultTTL)
            choices.sort()
        }
        return choices
    }

    /// In the largest unit that divides it; a configured default that is not whole minutes is
    /// rounded down to them, as it always was.
    static func label(_ seconds: Int) -> Message {
        if seconds % 86400 == 0 { return Message(one: "{count} day", other: "{count} days", count: seconds / 86400) }
        if seconds % 3600 == 0 { return Message(one: "{count} hour", other: "{count} hours", count: seconds / 3600) }
        return Message(one: "{count} minute", other: "{count} minutes", count: seconds / 60)
    }
}
