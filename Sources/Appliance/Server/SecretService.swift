import Hummingbird
import Translation
import Vault

/// What both front doors (the pages and the API) share: the vault, the limits, the rate limiter
/// and how links are spelled. Handlers stay thin; the rules live here once.
struct SecretService: Sendable {
    let vault: Vault
    let configuration: ApplianceConfiguration
    let createLimiter: CreateRateLimiter
    let languages: SiteLanguages

    /// The configuration has been validated (``ApplianceConfiguration/validated()``), its
    /// languages with it.
    init(vault: Vault, configuration: ApplianceConfiguration) {
        self.vault = vault
        self.configuration = configuration
        self.createLimiter = CreateRateLimiter(
            perMinute: configuration.http.createsPerMinute, perCircuitPerMinute: configuration.http.createsPerMinutePerCircuit)
        do {
            languages = try SiteLanguages(configuration.languages)
        } catch {
            preconditionFailure("the languages were not validated: \(error)")
        }
    }

    var now: Int64 { vault.clock.now() }

    func readFields(_ request: Request, context: some RequestContext, door: FrontDoor) async throws -> SubmittedFields {
        try await SubmittedFields.read(from: request, context: context, door: door)
    }

    /// The one create behind `POST /share`, `/generate` and the API's share, create and generate:
    /// the rate limits first (the circuit's, then the global one), then the vault, which refuses
    /// an empty secret itself.
    func create(_ kind: CreateKind, from request: Request, context: ApplianceRequestContext, door: FrontDoor) async throws -> CreatedSecret {
        let fields = try await readFields(request, context: context, door: door)
        let ttl = try fields.ttlSeconds()
        guard createLimiter.tryAcquire(for: context.circuit) else {
            throw UserFacingError(.tooManyRequests, Message("Many secrets are being created right now. Please try again in a minute."))
        }
        let secret = switch kind {
        case .share: fields.secret ?? ""
        case .generatePassword: PasswordGenerator.generate()
        }
        return try await vault.create(
            secret: Array(secret.utf8), passphrase: fields.passphrase, ttl: ttl, keepSenderCopy: kind == .generatePassword)
    }

    /// Parses a key from a path; anything that is not a well-formed token is treated as unknown.
    func token(_ context: some RequestContext, _ name: String = "key") -> LinkToken? {
        context.parameters.get(name).flatMap { LinkToken($0) }
    }

    /// The absolute base of links: the configured public URL (the onion address), else the Host
    /// header if it looks like a host, else nothing (links become relative).
    func baseURL(for request: Request) -> String {
        if let publicURL = configuration.publicURL { return publicURL }
        if let host = request.head.authority,
           !host.isEmpty, host.utf8.count <= 255, host.utf8.allSatisfy(\.isHostByte) {
            return "http://\(host)"
        }
        return ""
    }
}
