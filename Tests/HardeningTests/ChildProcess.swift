import Foundation
import XCTest

/// Runs one scenario of `ChildScenarios` in a fresh copy of this test runner.
///
/// Confinement is irreversible (seccomp, Landlock, setuid), and fork() in a multithreaded test
/// process is unsafe, so every scenario gets its own process: the xctest runner itself, started
/// with the single test `ChildScenarios/testScenario` and an environment variable naming the
/// scenario. The child reports `@@ key=value` lines on stdout and ends with `_exit`.
struct ChildResult {
    /// Exit status, if the child exited.
    var exitStatus: Int32?
    /// Terminating signal, if the child was killed.
    var signal: Int32?
    var report: [String: String]
    var stdout: String
    var stderr: String

    var diagnostics: String {
        "exit=\(exitStatus.map(String.init) ?? "-") signal=\(signal.map(String.init) ?? "-")\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)"
    }
}

enum Child {
    static let scenarioVariable = "ASHLINK_HARDENING_SCENARIO"
    static let directoryVariable = "ASHLINK_HARDENING_DIR"

    static func run(_ scenario: String, directory: String? = nil, timeout: TimeInterval = 60) throws -> ChildResult {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["HardeningTests.ChildScenarios/testScenario"]
        var environment = ProcessInfo.processInfo.environment
        environment[scenarioVariable] = scenario
        if let directory { environment[directoryVariable] = directory }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        // Read stderr concurrently so that neither pipe can fill up and block the child.
        let errBox = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        watchdog.cancel()

        let stdout = String(decoding: outData, as: UTF8.self)
        var report: [String: String] = [:]
        for line in stdout.split(separator: "\n") where line.hasPrefix("@@ ") {
            let body = line.dropFirst(3)
            if let eq = body.firstIndex(of: "=") {
                report[String(body[..<eq])] = String(body[body.index(after: eq)...])
            }
        }
        let signalled = process.terminationReason == .uncaughtSignal
        return ChildResult(
            exitStatus: signalled ? nil : process.terminationStatus,
            signal: signalled ? process.terminationStatus : nil,
            report: report, stdout: stdout, stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// A scratch directory owned by `uid` (the account the child drops to), mode 0700.
    /// Runs `scenario` with a data directory of its own that the service account (nobody) owns,
    /// as the confinement scenarios need; the directory goes afterwards.
    static func runWithNobodysDirectory(_ scenario: String) throws -> ChildResult {
        let directory = try makeDirectory(ownedBy: 65534, gid: 65534)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try run(scenario, directory: directory)
    }

    static func makeDirectory(ownedBy uid: uid_t, gid: gid_t) throws -> String {
        let path = NSTemporaryDirectory() + "ashlink-hardening-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        guard chown(path, uid, gid) == 0, chmod(path, 0o700) == 0 else {
            throw NSError(domain: "chown", code: Int(errno))
        }
        return path
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
