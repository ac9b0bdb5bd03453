import SmallFiles
import Vault

/// The configuration file: one `key = value` per line, `#` starts a comment line, blank lines
/// are ignored. Unknown keys, repeated keys and unsafe values are errors, never warnings:
/// a typo in a security setting must stop the server, not silently fall back to a default.
enum ConfigFile {
    static func parse(_ text: String, file: String, into configuration: inout ApplianceConfiguration) throws(ConfigurationError) {
        var seen: Set<String> = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .syntax(file: file, line: lineNumber, "expected 'key = value'")
            }
            let key = String(line[..<equals].trimmingWhitespace())
            let value = String(line[line.index(after: equals)...].trimmingWhitespace())
            guard let setting = allSettings[key] else {
                throw .unknownKey(file: file, line: lineNumber, key)
            }
            guard seen.insert(key).inserted else {
                throw .duplicateKey(file: file, line: lineNumber, key)
            }
            do {
                try setting(&configuration, value)
            } catch let error as ConfigurationError {
                throw .syntax(file: file, line: lineNumber, error.description)
            } catch {
                throw .syntax(file: file, line: lineNumber, "\(error)")
            }
        }
        if seen.contains("public_url") && seen.contains(OnionHostname.configurationKey) {
            throw .inconsistent("\(file): set public_url or \(OnionHostname.configurationKey), not both")
        }
    }

    typealias Setting = @Sendable (inout ApplianceConfiguration, String) throws -> Void

    /// Every key the file may hold: the secret links' and the tip inbox's.
    static let allSettings = settings.merging(inboxSettings) { _, _ in preconditionFailure("a key defined twice") }
        .merging(circuitSettings) { _, _ in preconditionFailure("a key defined twice") }

    /// The secret links' keys, with their parsers and their ranges of safe values.
    static let settings: [String: Setting] = [
        "listen": { $0.listen = try ListenAddress(parsing: $1) },
        "data_dir": { configuration, value in
            guard !value.isEmpty else { throw ConfigurationError.invalid("data_dir", value, "must not be empty") }
            configuration.dataDirectory = value
        },
        "storage": { configuration, value in
            guard let durability = VaultConfiguration.Durability(rawValue: value) else {
                let modes = VaultConfiguration.Durability.allCases.map { "'\($0.rawValue)'" }
                throw ConfigurationError.invalid("storage", value, "must be one of \(modes.joined(separator: ", "))")
            }
            configuration.vault.durability = durability
        },
        "public_url": { configuration, value in configuration.publicURL = try publicURL(value) },
        "public_url_from_hidden_service_dir": { configuration, value in
            configuration.publicURL = try OnionHostname.publicURL(fromHiddenServiceDir: value)
        },
        "user": { configuration, value in configuration.user = try accountName("user", value) },
        "group": { configuration, value in configuration.group = try accountName("group", value) },
        "allow_unlocked_memory": { $0.allowUnlockedMemory = try boolean("allow_unlocked_memory", $1) },
        "allow_without_landlock": { $0.allowWithoutLandlock = try boolean("allow_without_landlock", $1) },
        "socket_mode": { configuration, value in
            guard let mode = UInt32(value, radix: 8), mode & 0o7007 == 0, mode & 0o600 == 0o600 else {
                throw ConfigurationError.invalid("socket_mode", value, "must be octal, owner read-write, and give nothing to others (e.g. 0660)")
            }
            configuration.socketMode = mode
        },
        "max_secret_bytes": { $0.vault.maxSecretBytes = try integer("max_secret_bytes", $1, in: 1...(1024 * 1024)) },
        "min_ttl": { $0.vault.minimumTTL = try integer("min_ttl", $1, in: 60...(365 * 86400)) },
        "max_ttl": { $0.vault.maximumTTL = try integer("max_ttl", $1, in: 60...(365 * 86400)) },
        "default_ttl": { $0.vault.defaultTTL = try integer("default_ttl", $1, in: 60...(365 * 86400)) },
        "max_passphrase_attempts": { $0.vault.maxPassphraseAttempts = try integer("max_passphrase_attempts", $1, in: 1...20) },
        "argon2_concurrency": { $0.vault.argon2Concurrency = try integer("argon2_concurrency", $1, in: 1...16) },
        "argon2_max_waiting": { $0.vault.argon2MaxWaiting = try integer("argon2_max_waiting", $1, in: 0...1024) },
        "max_secrets": { $0.vault.maxSecrets = try integer("max_secrets", $1, in: 1...100_000_000) },
        "max_stored_bytes": { $0.vault.maxStoredBytes = try integer("max_stored_bytes", $1, in: 1024...(1 << 40)) },
        "max_receipts": { $0.vault.maxReceipts = try integer("max_receipts", $1, in: 1...200_000_000) },
        "storage_budget_hours": { $0.vault.storageBudgetHours = try integer("storage_budget_hours", $1, in: 1...(24 * 365)) },
        "quota_reserve_percent": { $0.vault.quotaReservePercent = try integer("quota_reserve_percent", $1, in: 0...50) },
        "cache_kib": { $0.vault.cacheKiB = try integer("cache_kib", $1, in: 256...(256 * 1024)) },
        "max_body_bytes": { $0.http.maxBodyBytes = try integer("max_body_bytes", $1, in: 1024...(16 * 1024 * 1024)) },
        "max_header_bytes": { $0.http.maxHeaderBytes = try integer("max_header_bytes", $1, in: 1024...(256 * 1024)) },
        "header_timeout_seconds": { $0.http.headerTimeoutSeconds = try integer("header_timeout_seconds", $1, in: 1...120) },
        "idle_timeout_seconds": { $0.http.idleTimeoutSeconds = try integer("idle_timeout_seconds", $1, in: 1...3600) },
        "max_connections": { $0.http.maxConnections = try integer("max_connections", $1, in: 1...65536) },
        "creates_per_minute": { $0.http.createsPerMinute = try integer("creates_per_minute", $1, in: 1...10_000_000) },
        "sweep_interval_seconds": { $0.sweepIntervalSeconds = try integer("sweep_interval_seconds", $1, in: 1...3600) },
        "stats_interval_seconds": { $0.statsIntervalSeconds = try integer("stats_interval_seconds", $1, in: 60...86400) },
        "languages": { $0.languages.codes = try SiteLanguages.codes(parsing: $1) },
        "default_language": { configuration, value in
            guard !value.isEmpty else { throw ConfigurationError.invalid("default_language", value, "must be a language code, e.g. en") }
            configuration.languages.defaultCode = value
        },
    ]

    static func integer(_ key: String, _ value: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw .invalid(key, value, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func boolean(_ key: String, _ value: String) throws(ConfigurationError) -> Bool {
        switch value {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw .invalid(key, value, "must be true or false")
        }
    }

    static func accountName(_ key: String, _ value: String) throws(ConfigurationError) -> String {
        guard !value.isEmpty, value.utf8.count <= 32,
              value.utf8.allSatisfy({ $0.isPortableNameByte }) else {
            throw .invalid(key, value, "must be a system account name (letters, digits, '.', '_', '-')")
        }
        return value
    }

    /// `http://host[:port]` or `https://host[:port]`, no path, no trailing slash.
    static func publicURL(_ value: String) throws(ConfigurationError) -> String {
        let trimmed = value.hasSuffix("/") ? String(value.dropLast()) : value
        for scheme in ["http://", "https://"] where trimmed.hasPrefix(scheme) {
            let authority = trimmed.dropFirst(scheme.count)
            if !authority.isEmpty, authority.utf8.allSatisfy({ $0.isHostByte }) { return trimmed }
        }
        throw .invalid("public_url", value, "must be http://HOST or https://HOST without a path, e.g. http://<onion address>.onion")
    }
}
