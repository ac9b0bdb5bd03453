import CHardeningTestSupport
import CKernelCalls
import CSeccomp
import Foundation
import Glibc
import Hardening
import XCTest

/// The child side of `Child.run`: does nothing in a normal test run, and runs the named scenario
/// when started by another test. After confinement only Glibc calls are used (no Foundation), so
/// that what the child does is exactly what the scenario says.
final class ChildScenarios: XCTestCase {
    func testScenario() throws {
        guard let scenario = ProcessInfo.processInfo.environment[Child.scenarioVariable] else {
            throw XCTSkip("runs only inside a child process started by another test")
        }
        let directory = ProcessInfo.processInfo.environment[Child.directoryVariable] ?? "/nonexistent"
        do {
            try Scenario.run(scenario, directory: directory)
        } catch {
            emit("error", "\(error)")
        }
        _exit(0)
    }
}

/// One unbuffered `@@ key=value` line on stdout.
func emit(_ key: String, _ value: String) {
    let line = Array("@@ \(key)=\(value)\n".utf8)
    _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

/// Reads a file with plain system calls; "errno N" when it cannot be opened.
func readWithSyscalls(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return "errno \(errno)" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

func field(_ key: String, _ status: String) -> String {
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }
    return "?"
}

/// The `VmFlags` of the `/proc/self/smaps` entry that holds `address` ("lo" is VM_LOCKED).
func mappingFlags(containing address: UInt) -> String {
    var inside = false
    for line in readWithSyscalls("/proc/self/smaps").split(separator: "\n") {
        let range = line.prefix(while: { $0 != " " }).split(separator: "-")
        if range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) {
            inside = (start..<end).contains(address)
        } else if inside, line.hasPrefix("VmFlags:") {
            return String(line.dropFirst("VmFlags:".count)).trimmingCharacters(in: .whitespaces)
        }
    }
    return "?"
}

/// System call number from libseccomp's table (independent of the filter under test).
func number(_ name: String) -> Int {
    Int(seccomp_syscall_resolve_name(name))
}

func rawSyscall(_ name: String, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) -> (Int, Int32) {
    let rc = ashlink_test_syscall6(number(name), a, b, c, d, 0, 0)
    return (rc, errno)
}

/// Maps `bytes` of anonymous memory and touches every page; true if it worked. After
/// mlockall(MCL_FUTURE) this needs CAP_IPC_LOCK once the process holds more than RLIMIT_MEMLOCK.
func mapAndTouch(_ bytes: Int) -> String {
    guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
        return "errno \(errno)"
    }
    memset(p, 0x5a, bytes)
    munmap(p, bytes)
    return "ok"
}

/// The vault's default settings, which the lock budget depends on (these tests do not see Vault).
enum VaultDefaults {
    static let argon2Concurrency = 2
    static let cacheKiB = 2048
}

/// What a server with the vault's default settings asks for; as root it is not enforced.
let serverLockLimit = MemoryBudget.recommendedLockLimit(
    argon2Concurrency: VaultDefaults.argon2Concurrency, cacheKiB: VaultDefaults.cacheKiB)

nonisolated(unsafe) var workerGate = sem_t()
nonisolated(unsafe) var workersDone = sem_t()

enum Scenario {
    static func run(_ scenario: String, directory: String) throws {
        if scenario.hasPrefix("forbidden:") {
            try forbidden(String(scenario.dropFirst("forbidden:".count)))
            return
        }
        switch scenario {
        case "allowed": try allowed(directory: directory)
        case "prepare": try prepare()
        case "confine": try confine(directory: directory)
        case "confine-no-capability-needed": try confineWithoutNeedingCapabilities(directory: directory)
        case "confine-born-confined": try confineWhileAConfinedThreadStartsAnother(directory: directory)
        case "no-landlock": try confineWithoutLandlock(directory: directory, allowed: false)
        case "no-landlock-allowed": try confineWithoutLandlock(directory: directory, allowed: true)
        case "confine-then-setuid":
            let memory = try Confinement.prepareProcess(allowUnlockedMemory: false, requiredLockLimit: serverLockLimit)
            try Confinement.confine(account: ServiceAccount(user: "nobody", group: "nogroup"), memory: memory,
                                    writablePaths: [directory], readOnlyPaths: [], allowWithoutLandlock: true)
            emit("armed", "1")
            let rc = setuid(0)
            emit("survived", "setuid rc \(rc) errno \(errno) uid \(getuid())")
        default: emit("error", "unknown scenario \(scenario)")
        }
    }

    /// The call pattern of a running server, under the filter: it must survive.
    static func allowed(directory: String) throws {
        try SyscallFilter.server.install()
        emit("armed", "1")

        // A new thread (pthread_create: clone3 -> ENOSYS -> clone with CLONE_THREAD) that writes a file.
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { _ in
            let dir = String(cString: getenv("ASHLINK_HARDENING_DIR"))
            let fd = open(dir + "/from-thread", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
            if fd >= 0 { _ = write(fd, "t", 1); close(fd) }
            return nil
        }, nil)
        emit("thread", created == 0 ? "created" : "failed \(created)")
        pthread_join(thread, nil)
        emit("thread_file", access(directory + "/from-thread", F_OK) == 0 ? "ok" : "missing")

        // libdispatch worker threads.
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { done.signal() }
        emit("dispatch", done.wait(timeout: .now() + 10) == .success ? "ok" : "timeout")

        // SQLite-style file I/O in the temp dir.
        let path = directory + "/vault.db"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        var ok = fd >= 0
        if ok {
            let payload = Array("ciphertext".utf8)
            ok = ok && payload.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 4096) } == payload.count
            ok = ok && fdatasync(fd) == 0 && fsync(fd) == 0
            var buffer = [UInt8](repeating: 0, count: payload.count)
            ok = ok && buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 4096) } == payload.count
            ok = ok && buffer == payload
            var info = stat()
            ok = ok && fstat(fd, &info) == 0 && ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_END) == 0
            close(fd)
            ok = ok && unlink(path) == 0
        }
        emit("file", ok ? "ok" : "failed errno \(errno)")

        let status = readWithSyscalls("/proc/self/status")
        emit("Seccomp", field("Seccomp", status))
        emit("NoNewPrivs", field("NoNewPrivs", status))

        // The fcntl commands in use survive (on stdin, /dev/null: nothing real changes).
        let flags = rawSyscall("fcntl", 0, Int(F_GETFL))
        let fcntlResults = [flags, rawSyscall("fcntl", 0, Int(F_SETFL), flags.0),
                            rawSyscall("fcntl", 0, Int(F_GETFD)), rawSyscall("fcntl", 0, Int(F_SETFD), Int(FD_CLOEXEC))]
        emit("fcntl", fcntlResults.allSatisfy { $0.0 >= 0 } ? "ok" : "failed \(fcntlResults)")

        // munlock is refused without killing, and the page stays locked.
        if let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), page != MAP_FAILED {
            let locked = mlock(page, 4096)
            let unlocked = rawSyscall("munlock", Int(bitPattern: page), 4096)
            let stillLocked = mappingFlags(containing: UInt(bitPattern: page)).split(separator: " ").contains("lo")
            emit("munlock", "mlock \(locked) munlock \(unlocked.0) errno \(unlocked.1) \(stillLocked ? "still locked" : "unlocked")")
        }

        let exec = mmap(nil, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        emit("mmap_exec", exec == MAP_FAILED ? "errno \(errno)" : "mapped")
        emit("clone3", "errno \(rawSyscall("clone3").1)")
        emit("kill_self", "\(kill(getpid(), 0))")
        emit("done", "1")
    }

    static func prepare() throws {
        let state = try Confinement.prepareProcess(allowUnlockedMemory: false, requiredLockLimit: serverLockLimit)
        emit("state", "\(state)")
        var soft: UInt64 = 1, hard: UInt64 = 1
        _ = ashlink_test_core_limit(&soft, &hard)
        emit("core", "\(soft)/\(hard)")
        let previous = umask(0o022)
        emit("umask", String(previous, radix: 8))
        emit("dumpable", "\(ashlink_test_dumpable())")
        emit("VmLck", field("VmLck", readWithSyscalls("/proc/self/status")).split(separator: " ").first.map(String.init) ?? "?")
        // The mapping's own flags, not VmLck's growth: other threads map and unmap meanwhile.
        let mapping = mmap(nil, 32 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let mapping, mapping != MAP_FAILED {
            emit("laterMappingFlags", mappingFlags(containing: UInt(bitPattern: mapping)))
            munmap(mapping, 32 << 20)
        }
    }

    /// Root -> nobody with threads already running, as in the server.
    static func confine(directory: String) throws {
        let memory = try Confinement.prepareProcess(allowUnlockedMemory: false, requiredLockLimit: serverLockLimit)
        sem_init(&workerGate, 0, 0)
        sem_init(&workersDone, 0, 0)
        var workers: [pthread_t] = []
        for index in 1...3 {
            var thread = pthread_t()
            pthread_create(&thread, nil, { argument in
                let index = Int(bitPattern: argument)
                sem_wait(&workerGate)
                // This thread existed before the drop: it needs its own CAP_IPC_LOCK to map 64 MiB.
                emit("worker\(index)", "\(mapAndTouch(64 << 20)) uid \(getuid()) euid \(geteuid())")
                sem_post(&workersDone)
                return nil
            }, UnsafeMutableRawPointer(bitPattern: index))
            workers.append(thread)
        }

        let account = try ServiceAccount(user: "nobody", group: "nogroup")
        let report = try Confinement.confine(
            account: account, memory: memory, writablePaths: [directory], readOnlyPaths: [], allowWithoutLandlock: true)
        emit("report", report.description)
        emit("landlock", report.landlock.isEnforced ? "enforced" : "\(report.landlock)")

        var ids = [UInt32](repeating: 0, count: 6)
        ids.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            _ = rawSyscall("getresuid", Int(bitPattern: base), Int(bitPattern: base + 1), Int(bitPattern: base + 2))
            _ = rawSyscall("getresgid", Int(bitPattern: base + 3), Int(bitPattern: base + 4), Int(bitPattern: base + 5))
        }
        emit("uids", "\(ids[0]) \(ids[1]) \(ids[2])")
        emit("gids", "\(ids[3]) \(ids[4]) \(ids[5])")
        emit("groups", "\(getgroups(0, nil))")

        for _ in workers { sem_post(&workerGate) }
        for _ in workers { sem_wait(&workersDone) }
        for thread in workers { pthread_join(thread, nil) }

        // Every thread, as the kernel sees it.
        emit("tasks", "\(threadIDs().count)")
        emit("task_states", taskStates(
            ["Uid", "Gid", "Groups", "CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"]))

        // A thread started after confinement inherits it, including CAP_IPC_LOCK.
        var late = pthread_t()
        pthread_create(&late, nil, { _ in emit("late_thread", mapAndTouch(64 << 20)); return nil }, nil)
        pthread_join(late, nil)

        // Landlock: the writable dir works; world-writable /tmp and unlisted /etc do not; /proc reads.
        let inside = open(directory + "/inside", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        emit("write_inside", inside >= 0 ? "ok" : "errno \(errno)")
        if inside >= 0 { close(inside) }
        let outside = open("/tmp/ashlink-landlock-probe-\(getpid())", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        emit("write_tmp", outside >= 0 ? "ok" : "errno \(errno)")
        if outside >= 0 { close(outside); unlink("/tmp/ashlink-landlock-probe-\(getpid())") }
        let passwd = open("/etc/passwd", O_RDONLY | O_CLOEXEC)
        emit("read_etc_passwd", passwd >= 0 ? "ok" : "errno \(errno)")
        if passwd >= 0 { close(passwd) }
        emit("read_proc", readWithSyscalls("/proc/self/status").hasPrefix("errno") ? "denied" : "ok")
        let thread = threadIDs().first ?? "?"
        emit("read_proc_thread", readWithSyscalls("/proc/self/task/\(thread)/status").hasPrefix("errno") ? "denied" : "ok")
        emit("VmLck", field("VmLck", readWithSyscalls("/proc/self/status")))
        emit("dumpable", "\(ashlink_test_dumpable())")
        emit("done", "1")
    }
}
