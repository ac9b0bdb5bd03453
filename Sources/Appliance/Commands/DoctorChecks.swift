import Hardening
import SmallFiles
#if canImport(Glibc)
import Glibc
#endif

/// The file-system and tor checks of `ashlink doctor`; the kernel checks come from Hardening.
enum DoctorChecks {
    static func dataDirectory(_ configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        let path = configuration.dataDirectory
        var info = stat()
        guard lstat(path, &info) == 0 else {
            report.add("data directory", ok: false, "\(path) does not exist yet (serve creates it, mode 0700)", required: false)
            return
        }
        let mode = info.st_mode & 0o7777
        let owner = accountName(uid: info.st_uid)
        // The service account owns the vault: the configured user, or (under systemd's User=,
        // with no user= in the file) whoever runs the server, which is never root.
        let ownerOK: Bool
        let expected: String
        if let user = configuration.user {
            ownerOK = owner == user
            expected = user
        } else if geteuid() == 0 {
            ownerOK = info.st_uid != 0
            expected = "the service account, not root"
        } else {
            ownerOK = info.st_uid == geteuid()
            expected = accountName(uid: geteuid())
        }
        let privateMode = DataDirectory.isPrivate(mode: info.st_mode)
        report.add(
            "data directory", ok: privateMode && ownerOK,
            "\(path): owner \(owner), mode \(String(mode, radix: 8))"
                + (privateMode ? "" : " (open to group or others: chmod 700)")
                + (ownerOK ? "" : " (expected owner: \(expected))"),
            required: true)
    }

    static func listener(_ configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        switch configuration.listen {
        case .tcp:
            report.add("listener", ok: true,
                       "loopback TCP \(configuration.listen): point tor at it with HiddenServicePort 80 \(configuration.listen); a Unix socket keeps it off the network stack entirely",
                       required: false)
        case .unix(let path):
            socketFolder("listener", path: path, socketMode: configuration.socketMode, into: &report)
        }
    }

    /// The folder a Unix socket is made in: it must exist, and the line says whether the socket
    /// will get tor's group there (a setgid folder of tor's group, as the package lays it out).
    static func socketFolder(_ check: String, path: String, socketMode: UInt32, into report: inout DoctorReport) {
        let directory = ListenAddress.unix(path: path).socketDirectory ?? "/"
        var info = stat()
        guard stat(directory, &info) == 0 else {
            report.add(check, ok: false, "unix:\(path): the folder \(directory) does not exist (ashlink.service creates it at start: install -d -m 2750 -o ashlink -g _tor-ashlink \(directory))", required: true)
            return
        }
        let group = groupName(gid: info.st_gid)
        let setgid = info.st_mode & S_ISGID != 0
        report.add(check, ok: true,
                   "unix:\(path): socket mode \(String(socketMode, radix: 8)); folder \(directory) group \(group) mode \(String(info.st_mode & 0o7777, radix: 8))"
                       + (setgid ? ": the socket gets group \(group), which tor must run as" : ": make the folder setgid and owned by tor's group (install -d -m 2750 -o ashlink -g _tor-ashlink \(directory)), as the package does"),
                   required: false)
    }

    static func tor(_ torrc: String, account: String?, configuration: ApplianceConfiguration, into report: inout DoctorReport) {
        let text: String
        do {
            text = try ConfigurationLoader.readTextFile(torrc)
        } catch {
            report.add("tor", ok: false, "\(error)", required: true)
            return
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.hasPrefix("#") && !$0.isEmpty }
        func values(_ option: String) -> [String] {
            lines.compactMap { line in
                let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2, parts[0].lowercased() == option.lowercased() else { return nil }
                return String(parts[1].trimmingWhitespace())
            }
        }
        let ports = values("HiddenServicePort")
        let target = configuration.listen.description  // tor spells targets as Ashlink does
        let pointsHere = ports.contains { $0.split(separator: " ").last.map(String.init) == target }
        report.add("tor HiddenServicePort", ok: pointsHere,
                   pointsHere ? "80 → \(target)" : "no HiddenServicePort points at \(target) (have: \(ports.isEmpty ? "none" : ports.joined(separator: "; ")))",
                   required: true)
        let torAccountName = account ?? values("User").first ?? torAccount(forTorrc: torrc)
        if case .unix(let path) = configuration.listen {
            socketReach(path, torAccount: torAccountName, into: &report)
        }
        inboxOnion(torrcLines: lines, torAccount: torAccountName, configuration: configuration, into: &report)
        CircuitSettingsSummary.torAgreement(torrcLines: lines, configuration: configuration, into: &report)
        for (option, why) in [
            ("HiddenServicePoWDefensesEnabled", "proof-of-work defence against introduction floods"),
            ("HiddenServiceEnableIntroDoSDefense", "rate limit at the introduction points"),
            ("SafeLogging", "tor scrubs addresses from its log"),
        ] {
            let on = values(option).first == "1"
            report.add("tor \(option)", ok: on, on ? "on: \(why)" : "off: set \(option) 1 (\(why))", required: false)
        }
        if let directory = values("HiddenServiceDir").first {
            if let hostname = try? OnionHostname.address(inHiddenServiceDir: directory) {
                report.add("onion address", ok: true, "http://\(hostname)", required: false)
            } else {
                report.add("onion address", ok: false, "\(directory)/hostname not readable yet (tor writes it on first start)", required: false)
            }
        }
    }

    /// Debian's tor instances run as `_tor-NAME` (tor-instance-create); the default tor as debian-tor.
    static func torAccount(forTorrc torrc: String) -> String {
        let parts = torrc.split(separator: "/")
        if parts.count >= 3, parts[parts.count - 3] == "instances", parts.last == "torrc" {
            return "_tor-\(parts[parts.count - 2])"
        }
        return "debian-tor"
    }

    /// Whether tor's account can connect: by the file modes, and as root by a real connection.
    static func socketReach(_ path: String, torAccount name: String, check: String = "tor reaches socket", into report: inout DoctorReport) {
        let account: ServiceAccount
        do {
            account = try ServiceAccount(user: name, group: nil)
        } catch {
            report.add(check, ok: false, "tor's account \(name) is unknown here (pass --tor-user): \(error)", required: true)
            return
        }
        let who = "\(account.name) (uid \(account.uid), group \(account.groupName))"
        if let denial = SocketAccess.denial(path: path, uid: account.uid, gid: account.gid) {
            report.add(check, ok: false, "\(who) cannot connect to \(path): \(denial)", required: true)
            return
        }
        guard geteuid() == 0 else {
            report.add(check, ok: true, "\(who) may connect to \(path) by its modes (run as root to try a real connection)",
                       required: true)
            return
        }
        let error = SocketAccess.connect(path: path, uid: account.uid, gid: account.gid)
        report.add(check, ok: error == 0,
                   error == 0 ? "\(who) connected to \(path)" : "connecting to \(path) as \(who) failed: \(String(cString: strerror(error)))",
                   required: true)
    }

    private static func accountName(uid: uid_t) -> String {
        guard let entry = getpwuid(uid) else { return "uid \(uid)" }
        return String(cString: entry.pointee.pw_name)
    }

    private static func groupName(gid: gid_t) -> String {
        guard let entry = getgrgid(gid) else { return "gid \(gid)" }
        return String(cString: entry.pointee.gr_name)
    }
}
