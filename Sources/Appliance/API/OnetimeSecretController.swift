import Hummingbird
import Vault

/// Onetime Secret's v1 API, anonymous only. Fields come form-encoded or in the query string.
///
/// Unknown, already viewed, burned, expired and wrong-passphrase all answer the same 404 body,
/// and the vault spends the same Argon2 work on an unknown secret as on a wrong passphrase, so
/// the API cannot be used to learn whether a key exists.
struct OnetimeSecretController<Context: RequestContext>: Sendable {
    let service: SecretService

    func register(on router: Router<Context>) {
        let api = router.group("api/v1")
        api.get("status") { _, _ in APIResponse.json(APIResponse.Status()) }
        for path in ["share", "create"] {
            api.post(RouterPath(stringLiteral: path)) { request, _ in
                let fields = try await service.readFields(request, includingQuery: true)
                let created = try await service.create(
                    secret: fields.secret, passphrase: fields.passphrase, ttl: try fields.ttlSeconds(), generated: false)
                return APIResponse.json(APIResponse.Metadata(receiptToken: created.receiptToken, receipt: created.receipt, now: service.now))
            }
        }
        api.post("generate") { request, _ in
            let fields = try await service.readFields(request, includingQuery: true)
            let created = try await service.create(
                secret: PasswordGenerator.generate(), passphrase: fields.passphrase, ttl: try fields.ttlSeconds(), generated: true)
            return APIResponse.json(APIResponse.Metadata(receiptToken: created.receiptToken, receipt: created.receipt, now: service.now))
        }
        api.post("secret/:key") { request, context in
            let fields = try await service.readFields(request, includingQuery: true)
            guard let token = service.token(context),
                  case .revealed(let value) = try await service.vault.reveal(token, passphrase: fields.passphrase)
            else { return unknownSecret() }
            return APIResponse.json(APIResponse.Revealed(secret_key: token.text, value: String(decoding: value, as: UTF8.self)))
        }
        for prefix in ["private", "receipt", "metadata"] {
            let receipts = api.group(RouterPath(stringLiteral: prefix))
            let show: @Sendable (Request, Context) async throws -> Response = { request, context in
                _ = try await service.readFields(request, includingQuery: true)
                guard let token = service.token(context), let receipt = try await service.vault.receipt(token) else {
                    return unknownSecret()
                }
                return APIResponse.json(APIResponse.Metadata(receiptToken: token, receipt: receipt, now: service.now))
            }
            receipts.post(":key", use: show)
            receipts.get(":key", use: show)
            receipts.post(":key/burn") { request, context in
                _ = try await service.readFields(request, includingQuery: true)
                guard let token = service.token(context), let before = try await service.vault.receipt(token),
                      let after = try await service.vault.burn(receipt: token)
                else { return unknownSecret() }
                return APIResponse.json(APIResponse.Burned(
                    state: APIResponse.Metadata(receiptToken: token, receipt: after, now: service.now),
                    secret_shortkey: before.secretToken.map { String($0.text.prefix(8)) }))
            }
        }
    }

    private func unknownSecret() -> Response {
        APIResponse.message("Unknown secret", status: .notFound)
    }
}
