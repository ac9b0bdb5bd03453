import Hummingbird
import Logging
import Vault

/// Onetime Secret's v1 API, anonymous only. Fields come form-encoded or in the query string.
///
/// Unknown, already viewed, burned, expired and wrong-passphrase all answer the same 404 body,
/// and the vault spends the same Argon2 work on an unknown secret as on a wrong passphrase, so
/// the API cannot be used to learn whether a key exists.
struct OnetimeSecretController: Sendable {
    typealias Context = ApplianceRequestContext

    let service: SecretService
    let logger: Logger

    func register(on router: Router<Context>) {
        let api = APIRoutes(router.group("api/v1").add(middleware: ErrorAnswerMiddleware(format: .json, logger: logger)))
        api.get("status") { _, _ in APIResponse.Status() }
        api.post("share", use: share)
        // Current Onetime Secret servers call share `create`, and the receipt `receipt` or `metadata`.
        api.post("create", use: share)
        api.post("generate", use: generate)
        api.post("secret/:key", use: reveal)
        registerReceipt(on: api, at: "private")
        registerReceipt(on: api, at: "receipt")
        registerReceipt(on: api, at: "metadata")
        api.answerTheRestInJSON()
    }

    /// `{prefix}/:key` shows the receipt (GET or POST), `{prefix}/:key/burn` burns unread.
    private func registerReceipt(on api: APIRoutes, at prefix: String) {
        api.get(RouterPath("\(prefix)/:key"), use: receipt)
        api.post(RouterPath("\(prefix)/:key"), use: receipt)
        api.post(RouterPath("\(prefix)/:key/burn"), use: burn)
    }

    @Sendable func share(_ request: Request, context: Context) async throws -> APIResponse.Metadata {
        try await created(.share, request, context)
    }

    @Sendable func generate(_ request: Request, context: Context) async throws -> APIResponse.Metadata {
        try await created(.generatePassword, request, context)
    }

    @Sendable func reveal(_ request: Request, context: Context) async throws -> APIResponse.Revealed {
        let fields = try await service.readFields(request, context: context, door: .api)
        let vault = service.vault, passphrase = fields.passphrase
        guard let token = service.token(context),
              case .revealed(let value) = try await context.untilClientLeaves({ try await vault.reveal(token, passphrase: passphrase) })
        else { throw Self.unknownSecret }
        return APIResponse.Revealed(secret_key: token.text, value: String(decoding: value, as: UTF8.self))
    }

    @Sendable func receipt(_ request: Request, context: Context) async throws -> APIResponse.Metadata {
        _ = try await service.readFields(request, context: context, door: .api)
        guard let token = service.token(context), let receipt = try await service.vault.receipt(token) else {
            throw Self.unknownSecret
        }
        return APIResponse.Metadata(receiptToken: token, receipt: receipt, now: service.now)
    }

    @Sendable func burn(_ request: Request, context: Context) async throws -> APIResponse.Burned {
        _ = try await service.readFields(request, context: context, door: .api)
        guard let token = service.token(context), let before = try await service.vault.receipt(token),
              let after = try await service.vault.burn(receipt: token)
        else { throw Self.unknownSecret }
        return APIResponse.Burned(
            state: APIResponse.Metadata(receiptToken: token, receipt: after, now: service.now),
            secret_shortkey: before.secretToken.map { String($0.text.prefix(8)) })
    }

    private func created(_ kind: CreateKind, _ request: Request, _ context: Context) async throws -> APIResponse.Metadata {
        let created = try await service.create(kind, from: request, context: context, door: .api)
        return APIResponse.Metadata(receiptToken: created.receiptToken, receipt: created.receipt, now: service.now)
    }

    /// The one answer for every key that opens nothing.
    private static let unknownSecret = UserFacingError(.notFound, "Unknown secret")
}
