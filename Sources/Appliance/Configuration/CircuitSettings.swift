/// The keys of the per-circuit fair shares (docs/decisions/0020): whether the public listener
/// reads tor's PROXY line, and how much of each global limit one circuit may hold.
extension ConfigFile {
    static let circuitSettings: [String: Setting] = [
        "proxy_protocol": { $0.http.proxyProtocol = try boolean("proxy_protocol", $1) },
        "creates_per_minute_per_circuit": {
            $0.http.createsPerMinutePerCircuit = try integer("creates_per_minute_per_circuit", $1, in: 1...10_000_000)
        },
        "max_connections_per_circuit": {
            $0.http.maxConnectionsPerCircuit = try integer("max_connections_per_circuit", $1, in: 1...65536)
        },
        "argon2_max_waiting_per_circuit": {
            $0.vault.argon2MaxRunsPerParty = try integer("argon2_max_waiting_per_circuit", $1, in: 1...1024)
        },
    ]
}
