/// The tip inbox's lines of `ashlink doctor`. The configuration's own checks already refuse an
/// inbox nobody could fetch from; these lines say what is in force, and catch what only this
/// box can tell: the socket's folder, and whether tor publishes the journalists' listener.
extension DoctorChecks {
    static func inbox(_ configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        let inbox = configuration.inbox
        guard inbox.isEnabled else {
            report.add("inbox", ok: true, "off: no inbox_recipients (the tip page says the inbox is not set up; no journalists' listener)",
                       required: false)
            return
        }
        report.add("inbox recipients", ok: true,
                   "\(inbox.recipients.count) age recipient(s): every tip is encrypted to them; their identity files belong off this box",
                   required: true)
        report.add("inbox access", ok: !inbox.access.isEmpty,
                   inbox.access.isEmpty
                       ? "no inbox_access verifier: no journalist could fetch the tips (ashlink inbox access-token prints one)"
                       : "\(inbox.access.count) journalists' access verifier(s)",
                   required: true)
        guard let listen = inbox.listen else {
            report.add("inbox listener", ok: false, "no inbox_listen: journalists could not fetch the tips", required: true)
            return
        }
        guard listen != configuration.listen else {
            report.add("inbox listener", ok: false, "inbox_listen is listen (\(listen)): the inbox API would be on the public onion",
                       required: true)
            return
        }
        switch listen {
        case .tcp:
            report.add("inbox listener", ok: false,
                       "loopback TCP \(listen): every account on this box can reach it; prefer a Unix socket that only tor's group reaches (inbox_listen = unix:/run/ashlink/inbox.sock)",
                       required: false)
        case .unix(let path):
            socketFolder("inbox listener", path: path, socketMode: configuration.socketMode, into: &report)
        }
    }

    /// With the inbox on: a second onion must point at the journalists' listener (DESIGN.md: with
    /// client authorization), and tor's account must reach its socket like the public one.
    static func inboxOnion(ports: [String], torAccount: String, configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        guard configuration.inbox.isEnabled, let listen = configuration.inbox.listen else { return }
        let target = listen.description
        let pointsHere = ports.contains { $0.split(separator: " ").last.map(String.init) == target }
        report.add("tor inbox HiddenServicePort", ok: pointsHere,
                   pointsHere
                       ? "→ \(target): give that onion client authorization (docs/tor.md)"
                       : "no HiddenServicePort points at \(target): journalists fetch through a second onion, with client authorization (docs/tor.md)",
                   required: false)
        if case .unix(let path) = listen {
            socketReach(path, torAccount: torAccount, check: "tor reaches inbox socket", into: &report)
        }
    }
}
