import Vault

/// Everything `ashlink serve` is told, read once at start. The defaults are the embedded
/// defaults: `ashlink serve` with no file serves 127.0.0.1:8080 with data under `./var`.
struct ApplianceConfiguration: Sendable {
    var listen = ListenAddress.tcp(host: "127.0.0.1", port: 8080)
    var dataDirectory = "./var"
    /// Base of the links the receipt page shows, e.g. `http://<56 chars>.onion`. Without it the
    /// request's Host header is used, which is right on loopback and wrong behind a proxy.
    var publicURL: String?
    /// Account to drop to when started as root.
    var user: String?
    var group: String?
    /// Development only: serve even when `mlockall` fails.
    var allowUnlockedMemory = false
    /// Serve where the kernel or a container refuses Landlock (file access is then bounded by the
    /// account's permissions and the seccomp filter only). Off: such a box refuses to serve.
    var allowWithoutLandlock = false
    /// Mode of the Unix socket after bind; tor's group needs read and write.
    var socketMode: UInt32 = 0o660
    var http = HTTPLimits()
    var vault = VaultConfiguration(directory: "./var")
    var inbox = InboxSettings()
    /// `languages` and `default_language`, checked against the catalogs of the build.
    var languages = SiteLanguages.Choice()
    var sweepIntervalSeconds = 60
    var statsIntervalSeconds = 3600

    struct HTTPLimits: Sendable, Equatable {
        var maxBodyBytes = 256 * 1024
        var maxHeaderBytes = 16 * 1024
        var headerTimeoutSeconds = 10
        var idleTimeoutSeconds = 30
        var maxConnections = 256
        /// Creates per minute across all clients: behind Tor every client is 127.0.0.1.
        var createsPerMinute = 600
        /// Every connection on the public listener opens with tor's PROXY v1 line, which names
        /// its circuit (`HiddenServiceExportCircuitID haproxy`); the shares below apply.
        var proxyProtocol = false
        /// One circuit's shares of the global limits.
        var createsPerMinutePerCircuit = 30
        var maxConnectionsPerCircuit = 16
    }

    /// Where the confined server may still write: the vault (unless it is in memory), and the
    /// sockets' folders so that the sockets can be removed at shutdown.
    var writablePaths: [String] {
        let socketFolders = [listen.socketDirectory, inbox.listen?.socketDirectory].compactMap { $0 }
        var paths = vault.durability == .memory ? [] : [dataDirectory]
        for folder in socketFolders where !paths.contains(folder) { paths.append(folder) }
        return paths
    }

    /// Cross-field checks that no single key can make.
    func validated() throws(ConfigurationError) -> ApplianceConfiguration {
        var configuration = self
        configuration.vault.directory = dataDirectory
        // The vault enforces the inbox quota and keeps replies; the configuration file names both
        // with the inbox's keys.
        configuration.vault.maxTips = inbox.maxTips
        configuration.vault.maxStoredTipBytes = inbox.maxStoredBytes
        configuration.vault.replyTTL = inbox.replyTTLSeconds
        if !inbox.isEnabled, configuration.vault.durability == .memory {
            // Without the inbox nothing stores tips or replies: memory is budgeted for secrets only.
            (configuration.vault.maxTips, configuration.vault.maxStoredTipBytes, configuration.vault.maxStoredReplyBytes) = (0, 0, 0)
        }
        let vault = configuration.vault
        try MemoryStorageBudget.checkDatabaseSize(configuration)
        guard vault.minimumTTL <= vault.defaultTTL, vault.defaultTTL <= vault.maximumTTL else {
            throw .inconsistent("ttl: need min_ttl <= default_ttl <= max_ttl (have \(vault.minimumTTL), \(vault.defaultTTL), \(vault.maximumTTL))")
        }
        // A form-encoded secret can take three bytes on the wire per byte stored.
        guard http.maxBodyBytes >= vault.maxSecretBytes else {
            throw .inconsistent("max_body_bytes (\(http.maxBodyBytes)) must be at least max_secret_bytes (\(vault.maxSecretBytes))")
        }
        guard vault.maxStoredBytes >= vault.maxSecretBytes else {
            throw .inconsistent("max_stored_bytes (\(vault.maxStoredBytes)) must be at least max_secret_bytes (\(vault.maxSecretBytes))")
        }
        try inbox.validated(publicListener: listen)
        _ = try SiteLanguages(languages)
        return configuration
    }
}
