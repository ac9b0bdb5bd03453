import SmallFiles

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

    /// With the inbox on: a second onion must point at the journalists' listener, with client
    /// authorization (DESIGN.md), and tor's account must reach its socket like the public one.
    static func inboxOnion(torrcLines lines: [Substring], torAccount: String, configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        guard configuration.inbox.isEnabled, let listen = configuration.inbox.listen else { return }
        let target = listen.description
        guard case .found(let directory) = OnionService(pointingAt: target, in: lines) else {
            report.add("tor inbox HiddenServicePort", ok: false,
                       "no HiddenServicePort points at \(target): journalists fetch through a second onion, with client authorization (docs/tor.md)",
                       required: false)
            return
        }
        report.add("tor inbox HiddenServicePort", ok: true, "→ \(target)", required: false)
        if let directory { clientAuthorization(of: directory, into: &report) }
        if case .unix(let path) = listen {
            socketReach(path, torAccount: torAccount, check: "tor reaches inbox socket", into: &report)
        }
    }

    /// Whether a torrc publishes `target`, and from which `HiddenServiceDir`: in a torrc, service
    /// options apply to the `HiddenServiceDir` above them.
    enum OnionService {
        case absent
        case found(directory: String?)

        init(pointingAt target: String, in lines: [Substring]) {
            var directory: String?
            for line in lines {
                let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2 else { continue }
                switch parts[0].lowercased() {
                case "hiddenservicedir": directory = String(parts[1].trimmingWhitespace())
                case "hiddenserviceport" where parts[1].split(separator: " ").last.map(String.init) == target:
                    self = .found(directory: directory)
                    return
                default: continue
                }
            }
            self = .absent
        }
    }

    /// An onion with client authorization admits only the keys in `authorized_clients/`; with no
    /// well-formed key there, tor serves it to anyone who learns the address (a malformed file is
    /// only a warning in tor's log). Reading tor's folder needs root.
    static func clientAuthorization(of directory: String, into report: inout DoctorReport) {
        let folder = directory + "/authorized_clients"
        guard let names = FolderTree.names(in: folder) else {
            report.add("inbox onion client authorization", ok: false,
                       "cannot read \(folder) (run doctor as root; tor makes it at its first start): cannot tell whether the inbox onion is closed to strangers",
                       required: false)
            return
        }
        let keys = names.filter { $0.hasSuffix(".auth") }.filter { isClientKey(folder + "/" + $0) }
        report.add("inbox onion client authorization", ok: !keys.isEmpty,
                   keys.isEmpty
                       ? "no well-formed client key in \(folder): the inbox onion is open to anyone who learns its address (docs/tor.md, the inbox onion)"
                       : "\(keys.count) journalist client key(s) in \(folder)",
                   required: true)
    }

    /// `descriptor:x25519:<52 base32 characters>`, as tor reads an `authorized_clients` file.
    private static func isClientKey(_ path: String) -> Bool {
        guard let text = try? TextFile.read(path) else { return false }
        let line = text.trimmingWhitespace()
        let prefix = "descriptor:x25519:"
        guard line.hasPrefix(prefix) else { return false }
        let key = line.dropFirst(prefix.count).utf8
        return key.count == 52 && key.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "2")...UInt8(ascii: "7")).contains(byte)
        }
    }
}
