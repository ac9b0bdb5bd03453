import ArgumentParser

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print what `serve` would use; exit 1 with the reason if it is invalid.")

    @OptionGroup var options: ConfigurationOptions

    func run() throws {
        let configuration = try options.load()
        let vault = configuration.vault
        print("configuration OK")
        print("listen                 \(configuration.listen)")
        if vault.durability == .memory {
            print("storage                memory: \(MemoryStorageBudget.summary(configuration)); data_dir not used")
        } else {
            print("data_dir               \(configuration.dataDirectory) (\(vault.durability.rawValue))")
        }
        print("public_url             \(configuration.publicURL ?? "(from each request's Host header)")")
        print("user                   \(configuration.user ?? "(none: must start unprivileged)")")
        print("memory                 \(configuration.allowUnlockedMemory ? "unlocked memory allowed (development only)" : "must be locked")")
        print("landlock               \(configuration.allowWithoutLandlock ? "optional (allow_without_landlock = true)" : "required")")
        print("secrets                up to \(vault.maxSecretBytes) bytes, ttl \(vault.minimumTTL)...\(vault.maximumTTL) s (default \(vault.defaultTTL) s)")
        print("passphrase attempts    \(vault.maxPassphraseAttempts), argon2 concurrency \(vault.argon2Concurrency), at most \(vault.argon2MaxWaiting) waiting")
        print("quota                  \(vault.maxSecrets) secrets, \(vault.maxStoredBytes) bytes, \(vault.receiptLimit) receipts")
        print("storage budget         \(vault.maxStoredBytes) bytes for \(vault.storageBudgetHours) h; \(vault.quotaReservePercent)% of each bound kept for secrets of at most \(vault.reserveMaxTTL) s and \(vault.reserveMaxSecretBytes) bytes")
        let languages = try SiteLanguages(configuration.languages)
        print("languages              \(languages.offered.map(\.code).joined(separator: ", ")) (\(languages.defaultLanguage.code) at /, each also at /CODE/)")
        let http = configuration.http
        print("circuits               \(CircuitSettingsSummary.line(configuration))")
        print("http                   body \(http.maxBodyBytes) B, headers \(http.maxHeaderBytes) B, header timeout \(http.headerTimeoutSeconds) s, idle \(http.idleTimeoutSeconds) s, \(http.maxConnections) connections, \(http.createsPerMinute) creates/min")
    }
}
