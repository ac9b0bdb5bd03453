import Hummingbird
import Vault

/// What both front doors (the pages and the API) share: the vault, the limits, the rate limiter
/// and how links are spelled. Handlers stay thin; the rules live here once.
struct SecretService: Sendable {
    let vault: Vault
    let configuration: ApplianceConfiguration
    let createLimiter: CreateRateLimiter

    init(vault: Vault, configuration: ApplianceConfiguration) {
        self.vault = vault
        self.configuration = configuration
        self.createLimiter = CreateRateLimiter(perMinute: configuration.http.createsPerMinute)
    }

    var now: Int64 { vault.clock.now() }

    func readFields(_ request: Request, includingQuery: Bool) async throws -> SubmittedFields {
        try await SubmittedFields.read(from: request, limit: configuration.http.maxBodyBytes, includingQuery: includingQuery)
    }

    func create(secret: String?, passphrase: String?, ttl: Int?, generated: Bool) async throws -> CreatedSecret {
        guard createLimiter.tryAcquire() else {
            throw UserFacingError(.tooManyRequests, "Many secrets are being created right now. Please try again in a minute.")
        }
        guard let secret, !secret.isEmpty else {
            throw UserFacingError(.badRequest, "There is nothing to share: the secret is empty.")
        }
        return try await vault.create(secret: Array(secret.utf8), passphrase: passphrase, ttl: ttl, keepSenderCopy: generated)
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
