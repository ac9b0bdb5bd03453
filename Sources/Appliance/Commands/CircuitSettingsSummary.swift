/// What `check-config` and `doctor` say about the per-circuit shares, and whether the tor
/// configuration sends the PROXY line that `proxy_protocol` expects.
enum CircuitSettingsSummary {
    static func line(_ configuration: ApplianceConfiguration) -> String {
        let http = configuration.http
        guard http.proxyProtocol else {
            return "proxy_protocol off: every client shares the global limits"
        }
        return "proxy_protocol on: per tor circuit \(http.createsPerMinutePerCircuit) creates/min, "
            + "\(http.maxConnectionsPerCircuit) connections, \(configuration.vault.argon2MaxRunsPerParty) Argon2id runs"
    }

    static func check(_ configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        report.add("circuit shares", ok: configuration.http.proxyProtocol,
                   configuration.http.proxyProtocol ? line(configuration)
                       : line(configuration) + ": set proxy_protocol = on with tor's HiddenServiceExportCircuitID haproxy",
                   required: false)
    }

    /// Every onion whose HiddenServicePort points at the public listener must send the line
    /// exactly when `proxy_protocol` is on: otherwise every request fails (400 without the
    /// setting, a closed connection without tor's option).
    static func torAgreement(torrcLines lines: [Substring], configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        let target = configuration.listen.description
        var onions: [(pointsHere: Bool, exports: Bool)] = []
        for line in lines {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let option = parts.first?.lowercased() else { continue }
            if option == "hiddenservicedir" {
                onions.append((false, false))
            } else if !onions.isEmpty, option == "hiddenserviceport", parts.last.map(String.init) == target {
                onions[onions.count - 1].pointsHere = true
            } else if !onions.isEmpty, option == "hiddenserviceexportcircuitid" {
                onions[onions.count - 1].exports = parts.count == 2 && parts[1] == "haproxy"
            }
        }
        let serving = onions.filter(\.pointsHere)
        guard !serving.isEmpty else { return }
        let proxyProtocol = configuration.http.proxyProtocol
        let agree = serving.allSatisfy { $0.exports == proxyProtocol }
        let detail = switch (agree, proxyProtocol) {
        case (true, true): "every onion on \(target) sends the circuit (HiddenServiceExportCircuitID haproxy)"
        case (true, false): "no onion on \(target) sends a PROXY line, as proxy_protocol = off expects"
        case (false, true): "proxy_protocol = on, but an onion on \(target) lacks HiddenServiceExportCircuitID haproxy: its connections are dropped"
        case (false, false): "an onion on \(target) sends HiddenServiceExportCircuitID haproxy, but proxy_protocol = off: its requests get 400"
        }
        report.add("tor circuit id", ok: agree, detail, required: true)
    }
}
