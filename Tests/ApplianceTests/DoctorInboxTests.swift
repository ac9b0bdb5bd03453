import Age
import Hardening
import Vault
import XCTest
#if canImport(Glibc)
import Glibc
#endif

@testable import Appliance

/// `doctor`'s inbox lines, from configurations as the file gives them and, for the states the
/// configuration's own checks refuse, as they would look if a check were ever loosened.
final class DoctorInboxTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ashlink-doctor-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func inbox(listen: ListenAddress?, access: Int = 1) -> ApplianceConfiguration {
        var configuration = ApplianceConfiguration()
        configuration.listen = .unix(path: folder + "/http.sock")
        configuration.inbox.recipients = [AgeIdentity.generate().recipient, AgeIdentity.generate().recipient]
        configuration.inbox.listen = listen
        configuration.inbox.access = (0..<access).map { _ in InboxAccess.Verifier(InboxAccess.generate().verifier)! }
        return configuration
    }

    private func lines(_ configuration: ApplianceConfiguration) -> DoctorReport {
        var report = DoctorReport()
        DoctorChecks.inbox(configuration, into: &report)
        return report
    }

    private func line(_ report: DoctorReport, _ check: String) throws -> SystemInspection.Check {
        try XCTUnwrap(report.checks.first { $0.check == check }, "no \(check) line in \(report.rendered)")
    }

    func testAnInboxThatIsOffIsOneInformationLine() {
        let report = lines(ApplianceConfiguration())
        XCTAssertEqual(report.checks.map(\.check), ["inbox"])
        XCTAssertTrue(report.checks[0].ok)
        XCTAssertFalse(report.checks[0].required)
        XCTAssertTrue(report.checks[0].detail.hasPrefix("off:"), report.checks[0].detail)
    }

    func testAnInboxOnAUnixSocketInAnExistingFolderIsReady() throws {
        let configuration = try inbox(listen: .unix(path: folder + "/inbox.sock"), access: 3).validated()
        let report = lines(configuration)
        XCTAssertEqual(report.checks.map(\.check), ["inbox recipients", "inbox access", "inbox listener"])
        XCTAssertTrue(report.productionReady, report.rendered)
        XCTAssertTrue(try line(report, "inbox recipients").detail.hasPrefix("2 age recipient(s)"))
        XCTAssertTrue(try line(report, "inbox access").detail.hasPrefix("3 journalists' access verifier(s)"))
        XCTAssertTrue(try line(report, "inbox listener").detail.contains("unix:\(folder)/inbox.sock"))
        XCTAssertFalse(report.rendered.contains(configuration.inbox.recipients[0].description), "no key in the report")
    }

    func testAMissingSocketFolderFails() throws {
        let report = lines(inbox(listen: .unix(path: folder + "/missing/inbox.sock")))
        let listener = try line(report, "inbox listener")
        XCTAssertFalse(listener.ok)
        XCTAssertTrue(listener.required)
        XCTAssertTrue(listener.detail.contains("\(folder)/missing does not exist"), listener.detail)
        XCTAssertFalse(report.productionReady)
    }

    func testALoopbackTCPListenerIsAWarning() throws {
        let report = lines(try inbox(listen: .tcp(host: "127.0.0.1", port: 8081)).validated())
        let listener = try line(report, "inbox listener")
        XCTAssertFalse(listener.ok)
        XCTAssertFalse(listener.required)
        XCTAssertTrue(listener.detail.contains("prefer a Unix socket"), listener.detail)
        XCTAssertTrue(report.productionReady, "a warning, not a failure")
        XCTAssertTrue(report.rendered.contains("warn inbox listener"), report.rendered)
    }

    func testNoAccessVerifierFails() throws {
        let access = try line(lines(inbox(listen: .unix(path: folder + "/inbox.sock"), access: 0)), "inbox access")
        XCTAssertFalse(access.ok)
        XCTAssertTrue(access.required)
        XCTAssertTrue(access.detail.contains("ashlink inbox access-token"), access.detail)
    }

    func testTheInboxOnThePublicListenerFails() throws {
        let configuration = inbox(listen: .unix(path: folder + "/http.sock"))
        let listener = try line(lines(configuration), "inbox listener")
        XCTAssertFalse(listener.ok)
        XCTAssertTrue(listener.required)
        XCTAssertTrue(listener.detail.contains("public onion"), listener.detail)
    }

    func testNoInboxListenerFails() throws {
        let listener = try line(lines(inbox(listen: nil)), "inbox listener")
        XCTAssertFalse(listener.ok)
        XCTAssertTrue(listener.required)
    }

    // MARK: - tor's side

    private func torLines(_ configuration: ApplianceConfiguration, torrc: String) throws -> DoctorReport {
        let path = folder + "/torrc"
        try torrc.write(toFile: path, atomically: false, encoding: .utf8)
        var report = DoctorReport()
        DoctorChecks.tor(path, account: "nobody", configuration: configuration, into: &report)
        return report
    }

    func testTheTorrcMustPublishTheInboxListener() throws {
        let configuration = try inbox(listen: .tcp(host: "127.0.0.1", port: 8081)).validated()
        let publicPort = "HiddenServicePort 80 unix:\(folder)/http.sock\n"
        let missing = try line(try torLines(configuration, torrc: publicPort), "tor inbox HiddenServicePort")
        XCTAssertFalse(missing.ok)
        XCTAssertTrue(missing.detail.contains("no HiddenServicePort points at 127.0.0.1:8081"), missing.detail)
        let present = try line(
            try torLines(configuration, torrc: publicPort + "HiddenServicePort 80 127.0.0.1:8081\n"), "tor inbox HiddenServicePort")
        XCTAssertTrue(present.ok, present.detail)
    }

    func testTheInboxOnionMustHaveAClientKey() throws {
        let configuration = try inbox(listen: .tcp(host: "127.0.0.1", port: 8081)).validated()
        let service = folder + "/inbox_service"
        let torrc = """
            HiddenServiceDir \(folder)/hidden_service
            HiddenServicePort 80 unix:\(folder)/http.sock
            HiddenServiceDir \(service)
            HiddenServicePort 80 127.0.0.1:8081
            """
        let unreadable = try line(try torLines(configuration, torrc: torrc), "inbox onion client authorization")
        XCTAssertFalse(unreadable.ok)
        XCTAssertFalse(unreadable.required, "tor may not have started yet")

        let clients = service + "/authorized_clients"
        try FileManager.default.createDirectory(atPath: clients, withIntermediateDirectories: true)
        try "descriptor:x25519:tooshort\n".write(toFile: clients + "/broken.auth", atomically: false, encoding: .utf8)
        let open = try line(try torLines(configuration, torrc: torrc), "inbox onion client authorization")
        XCTAssertFalse(open.ok, "a malformed key closes nothing")
        XCTAssertTrue(open.required)
        XCTAssertTrue(open.detail.contains("open to anyone"), open.detail)

        let key = "descriptor:x25519:" + String(repeating: "A", count: 52) + "\n"
        try key.write(toFile: clients + "/alice.auth", atomically: false, encoding: .utf8)
        try key.write(toFile: clients + "/alice.auth.old", atomically: false, encoding: .utf8)
        let closed = try line(try torLines(configuration, torrc: torrc), "inbox onion client authorization")
        XCTAssertTrue(closed.ok, closed.detail)
        XCTAssertTrue(closed.detail.hasPrefix("1 journalist client key(s)"), closed.detail)
    }

    func testTheInboxOffAddsNoTorLine() throws {
        var configuration = ApplianceConfiguration()
        configuration.listen = .unix(path: folder + "/http.sock")
        let report = try torLines(configuration, torrc: "HiddenServicePort 80 unix:\(folder)/http.sock\n")
        XCTAssertFalse(report.checks.contains { $0.check.contains("inbox") }, report.rendered)
    }

    /// As root, the reach check connects as tor's account; unprivileged, it judges by the modes.
    func testTorsAccountMustReachTheInboxSocket() throws {
        let socketPath = folder + "/inbox.sock"
        let listening = try listen(at: socketPath)
        defer { close(listening) }
        let configuration = try inbox(listen: .unix(path: socketPath)).validated()
        let torrc = "HiddenServicePort 80 unix:\(socketPath)\n"

        XCTAssertEqual(chmod(folder, 0o700), 0)
        let shut = try line(try torLines(configuration, torrc: torrc), "tor reaches inbox socket")
        XCTAssertFalse(shut.ok, shut.detail)
        XCTAssertTrue(shut.detail.contains("no search permission"), shut.detail)
        XCTAssertTrue(shut.required)

        XCTAssertEqual(chmod(folder, 0o755), 0)
        XCTAssertEqual(chmod(socketPath, 0o666), 0)
        let reached = try line(try torLines(configuration, torrc: torrc), "tor reaches inbox socket")
        XCTAssertTrue(reached.ok, reached.detail)
        XCTAssertTrue(reached.detail.contains(geteuid() == 0 ? "connected to \(socketPath)" : "may connect"), reached.detail)
    }

    private struct SocketSetupFailed: Error {
        let errno: Int32
    }

    private func listen(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            bytes.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(descriptor, 4) == 0 else {
            close(descriptor)
            throw SocketSetupFailed(errno: errno)
        }
        return descriptor
    }
}
