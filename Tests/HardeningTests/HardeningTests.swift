import Foundation
import Glibc
import Hardening
import XCTest

/// These tests need root (CI runs them as root): mlockall beyond RLIMIT_MEMLOCK, the drop to
/// nobody, and the root-only refusal are what they prove.
func requireRoot() throws {
    guard geteuid() == 0 else { throw XCTSkip("needs root: run the test suite as root (as CI does)") }
}

final class SyscallFilterTests: XCTestCase {
    /// The server's own call pattern survives the same filter, and the kernel reports it in force.
    func testAllowedCallPatternSurvives() throws {
        try requireRoot()
        let directory = try Child.makeDirectory(ownedBy: 0, gid: 0)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try Child.run("allowed", directory: directory)
        XCTAssertEqual(child.exitStatus, 0, child.diagnostics)
        XCTAssertEqual(child.report["done"], "1", child.diagnostics)
        XCTAssertEqual(child.report["thread"], "created")
        XCTAssertEqual(child.report["thread_file"], "ok")
        XCTAssertEqual(child.report["dispatch"], "ok")
        XCTAssertEqual(child.report["file"], "ok")
        XCTAssertEqual(child.report["Seccomp"], "2")
        XCTAssertEqual(child.report["NoNewPrivs"], "1")
        XCTAssertEqual(child.report["mmap_exec"], "errno \(EACCES)", "new executable memory must be refused")
        XCTAssertEqual(child.report["clone3"], "errno \(ENOSYS)", "clone3 must answer ENOSYS so glibc falls back to clone")
        XCTAssertEqual(child.report["kill_self"], "0")
        XCTAssertEqual(child.report["fcntl"], "ok", "F_GETFL/F_SETFL/F_GETFD/F_SETFD are in use")
        XCTAssertEqual(child.report["munlock"], "mlock 0 munlock -1 errno \(EPERM) still locked",
                       "munlock must be refused, not allowed and not killed")
    }

    func testAllowlistCannotContainForbiddenCalls() {
        XCTAssertThrowsError(try SyscallFilter(rules: [.init("read"), .init("execve")])) { error in
            XCTAssertTrue("\(error)".contains("execve"))
        }
        let allowed = Set(SyscallFilter.server.allowedSyscallNames)
        XCTAssertTrue(allowed.isDisjoint(with: SyscallFilter.neverAllowed))
        for needed in ["openat", "accept4", "epoll_wait", "futex", "mlock", "fcntl", "fdatasync", "pwrite64", "getrandom"] {
            XCTAssertTrue(allowed.contains(needed), "\(needed) is needed by the server")
        }
        for unused in ["sendfile", "pipe2", "fchmod", "fchown", "munlock"] {
            XCTAssertFalse(allowed.contains(unused), "\(unused) is not used after confinement (docs/decisions/0004)")
        }
        let fcntlRules = SyscallFilter.server.rules.filter { $0.syscall == "fcntl" }
        XCTAssertFalse(fcntlRules.isEmpty)
        XCTAssertTrue(fcntlRules.allSatisfy { !$0.conditions.isEmpty }, "fcntl must be allowed only for the commands in use")
        let cloneRules = SyscallFilter.server.rules.filter { $0.syscall == "clone" }
        XCTAssertEqual(cloneRules.count, 1)
        XCTAssertFalse(cloneRules[0].conditions.isEmpty, "clone must be allowed only with CLONE_THREAD")
    }
}

final class ConfinementTests: XCTestCase {
    func testPrepareProcess() throws {
        try requireRoot()
        let child = try Child.run("prepare")
        XCTAssertEqual(child.exitStatus, 0, child.diagnostics)
        XCTAssertTrue(child.report["state"]?.hasPrefix("memory locked (") == true, child.diagnostics)
        XCTAssertEqual(child.report["core"], "0/0", "RLIMIT_CORE soft/hard")
        XCTAssertEqual(child.report["umask"], "77")
        XCTAssertEqual(child.report["dumpable"], "0")
        XCTAssertGreaterThan(Int(child.report["VmLck"] ?? "") ?? 0, 0, child.diagnostics)
        // MCL_FUTURE: a later mapping is locked too.
        let flags = (child.report["laterMappingFlags"] ?? "").split(separator: " ")
        XCTAssertTrue(flags.contains("lo"), "VmFlags of a later mapping: \(flags) \(child.diagnostics)")
    }

    /// Root -> nobody:nogroup with threads running: every thread ends as 65534 with CAP_IPC_LOCK
    /// alone, pre-existing threads can still lock 64 MiB, Landlock and seccomp are in force.
    func testPrivilegeDropKeepsOnlyIPCLock() throws {
        try requireRoot()
        let child = try Child.runWithNobodysDirectory("confine")
        XCTAssertEqual(child.exitStatus, 0, child.diagnostics)
        XCTAssertNil(child.report["error"], child.diagnostics)
        XCTAssertEqual(child.report["done"], "1", child.diagnostics)
        XCTAssertEqual(child.report["uids"], "65534 65534 65534")
        XCTAssertEqual(child.report["gids"], "65534 65534 65534")
        XCTAssertEqual(child.report["groups"], "0")
        let states = child.report["task_states"] ?? ""
        XCTAssertFalse(states.contains("|"), "threads differ: \(states)")
        XCTAssertTrue(states.contains("Uid:65534\t65534\t65534\t65534"), states)
        XCTAssertTrue(states.contains("Gid:65534\t65534\t65534\t65534"), states)
        XCTAssertTrue(states.contains("Groups: CapEff:"), "no supplementary group on any thread: \(states)")
        XCTAssertTrue(states.contains("CapEff:0000000000004000"), "CAP_IPC_LOCK (bit 14) alone: \(states)")
        XCTAssertTrue(states.contains("CapPrm:0000000000004000"), states)
        XCTAssertTrue(states.contains("CapBnd:0000000000004000"), states)
        XCTAssertTrue(states.contains("CapAmb:0000000000000000"), states)
        XCTAssertTrue(states.contains("CapInh:0000000000000000"), states)
        XCTAssertTrue(states.contains("NoNewPrivs:1"), states)
        XCTAssertTrue(states.contains("Seccomp:2"), states)
        XCTAssertGreaterThanOrEqual(Int(child.report["tasks"] ?? "") ?? 0, 1)
        for worker in 1...3 {
            XCTAssertEqual(child.report["worker\(worker)"], "ok uid 65534 euid 65534", "thread started before the drop")
        }
        XCTAssertEqual(child.report["late_thread"], "ok")
        XCTAssertNotEqual(child.report["VmLck"], "0 kB")
        XCTAssertEqual(child.report["dumpable"], "0")
        guard child.report["landlock"] == "enforced" else {
            throw XCTSkip("Landlock's part needs a kernel that has it: \(child.report["landlock"] ?? "?")")
        }
        XCTAssertEqual(child.report["write_inside"], "ok")
        XCTAssertEqual(child.report["write_tmp"], "errno \(EACCES)", "Landlock must deny writes outside the data dir")
        XCTAssertEqual(child.report["read_etc_passwd"], "errno \(EACCES)", "Landlock must deny unlisted reads")
        XCTAssertEqual(child.report["read_proc"], "ok")
        XCTAssertEqual(child.report["read_proc_thread"], "ok")
    }

    /// A thread started by an already confined thread while the others are still being confined:
    /// it holds no CAP_SETPCAP, so the bounding set it already lacks must not be dropped again.
    func testAThreadBornConfinedDuringTheBroadcastIsAccepted() throws {
        try requireRoot()
        let child = try Child.runWithNobodysDirectory("confine-born-confined")
        XCTAssertNil(child.report["error"], child.diagnostics)
        XCTAssertEqual(child.report["done"], "1", child.diagnostics)
        let states = child.report["task_states"] ?? ""
        XCTAssertFalse(states.contains("|"), "threads differ: \(states)")
        XCTAssertTrue(states.contains("CapBnd:0000000000004000") && states.contains("Seccomp:2"), states)
    }

    /// When the memory lock does not rely on CAP_IPC_LOCK, no capability is left anywhere.
    func testNoCapabilityIsKeptWhenTheLockDoesNotNeedIt() throws {
        try requireRoot()
        let child = try Child.runWithNobodysDirectory("confine-no-capability-needed")
        XCTAssertNil(child.report["error"], child.diagnostics)
        let none = "0000000000000000"
        XCTAssertEqual(child.report["task_states"], "CapEff:\(none) CapPrm:\(none) CapInh:\(none) CapAmb:\(none) CapBnd:\(none)",
                       child.diagnostics)
        XCTAssertTrue(child.report["report"]?.contains("caps=none") == true, child.report["report"] ?? "")
    }

    /// A kernel without Landlock (the call answers ENOSYS): refused unless explicitly allowed.
    func testWithoutLandlockConfinementRefusesUnlessAllowed() throws {
        try requireRoot()
        let refused = try Child.runWithNobodysDirectory("no-landlock")
        XCTAssertNil(refused.report["done"], refused.diagnostics)
        let error = refused.report["error"] ?? ""
        XCTAssertTrue(error.contains("Landlock is not available") && error.contains("allow_without_landlock"), refused.diagnostics)
        let allowed = try Child.runWithNobodysDirectory("no-landlock-allowed")
        XCTAssertEqual(allowed.report["done"], "1", allowed.diagnostics)
        XCTAssertTrue(allowed.report["landlock"]?.hasPrefix("landlock off (kernel has no Landlock") == true, allowed.diagnostics)
        XCTAssertEqual(allowed.report["Seccomp"], "2")
    }

    /// After confinement, trying to become root again ends the process.
    func testRegainingRootIsImpossible() throws {
        try requireRoot()
        let child = try Child.runWithNobodysDirectory("confine-then-setuid")
        XCTAssertEqual(child.report["armed"], "1", child.diagnostics)
        XCTAssertNil(child.report["survived"])
        XCTAssertEqual(child.signal, SIGSYS, child.diagnostics)
    }

    /// Runs in this process: the refusal happens before anything is changed.
    func testRootWithoutAccountIsRefused() throws {
        try requireRoot()
        XCTAssertThrowsError(try Confinement.confine(
            account: nil, memory: .locked(byCapability: true), writablePaths: ["/tmp"], readOnlyPaths: [],
            allowWithoutLandlock: false)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("refusing to serve as root"), text)
            XCTAssertTrue(text.contains("user="), "the message must name the setting: \(text)")
        }
        XCTAssertEqual(ProcessStatus.current().seccompMode, 0, "nothing may have been applied")
        XCTAssertEqual(geteuid(), 0)
    }
}

final class ServiceAccountTests: XCTestCase {
    func testUnknownUserIsAClearError() {
        XCTAssertThrowsError(try ServiceAccount(user: "ashlink-no-such-user-7f3a", group: nil)) { error in
            XCTAssertTrue(error is HardeningError)
            XCTAssertTrue("\(error)".contains("unknown user 'ashlink-no-such-user-7f3a'"), "\(error)")
        }
        XCTAssertThrowsError(try ServiceAccount(user: "nobody", group: "ashlink-no-such-group-7f3a")) { error in
            XCTAssertTrue("\(error)".contains("unknown group 'ashlink-no-such-group-7f3a'"), "\(error)")
        }
        XCTAssertThrowsError(try ServiceAccount(user: "root", group: nil)) { error in
            XCTAssertTrue("\(error)".contains("refusing to run as root"), "\(error)")
        }
    }

    func testResolvesNobody() throws {
        let account = try ServiceAccount(user: "nobody", group: "nogroup")
        XCTAssertEqual(account.uid, 65534)
        XCTAssertEqual(account.gid, 65534)
        XCTAssertEqual(try ServiceAccount(user: "nobody", group: nil).gid, 65534, "primary group")
    }
}

final class InspectionTests: XCTestCase {
    func testMemoryBudget() {
        let two = MemoryBudget.recommendedLockLimit(argon2Concurrency: 2, cacheKiB: 8192)
        let four = MemoryBudget.recommendedLockLimit(argon2Concurrency: 4, cacheKiB: 8192)
        XCTAssertEqual(two % (64 << 20), 0)
        XCTAssertEqual(four - two, 128 << 20, "each concurrent Argon2id hash needs 64 MiB")
        XCTAssertGreaterThan(two, 8 << 20, "this box's 8 MiB default is not enough")
        XCTAssertTrue(MemoryBudget.systemdSetting(argon2Concurrency: 2, cacheKiB: 8192).hasPrefix("LimitMEMLOCK="))
    }

    func testSystemInspectionOnThisMachine() throws {
        let inspection = SystemInspection.current(
            argon2Concurrency: VaultDefaults.argon2Concurrency, cacheKiB: VaultDefaults.cacheKiB)
        let byName = Dictionary(uniqueKeysWithValues: inspection.checks.map { ($0.check, $0) })
        XCTAssertEqual(byName["seccomp"]?.ok, true, "\(inspection.lines)")
        XCTAssertNotNil(byName["landlock"])
        XCTAssertNotNil(byName["memory lock"])
        XCTAssertNotNil(byName["CAP_IPC_LOCK"])
        if geteuid() == 0 {
            XCTAssertEqual(byName["memory lock"]?.ok, true)
            XCTAssertTrue(inspection.productionReady)
        }
        if FileManager.default.fileExists(atPath: "/sys/kernel/security/landlock") || byName["landlock"]?.ok == true {
            XCTAssertTrue(byName["landlock"]?.detail.hasPrefix("ABI ") == true)
        }
    }
}
