import CSeccomp
import Glibc
import Hardening

extension Scenario {
    /// Memory that does not rely on CAP_IPC_LOCK (here: not locked; the same holds for a lock
    /// within RLIMIT_MEMLOCK, which this box cannot raise): after the drop to nobody no capability
    /// at all is left, on any thread, in any set.
    static func confineWithoutNeedingCapabilities(directory: String) throws {
        let memory = MemoryLockState.unlocked(reason: "not locked in this scenario")
        let report = try Confinement.confine(
            account: ServiceAccount(user: "nobody", group: "nogroup"), memory: memory,
            writablePaths: [directory], readOnlyPaths: [], allowWithoutLandlock: true)
        emit("report", report.description)
        emit("task_states", taskStates(["CapEff", "CapPrm", "CapInh", "CapAmb", "CapBnd"]))
        emit("done", "1")
    }

    /// A kernel without Landlock, honestly: a filter installed first makes `landlock_create_ruleset`
    /// answer ENOSYS, as on Linux before 5.13. Confinement must refuse unless it is allowed.
    static func confineWithoutLandlock(directory: String, allowed: Bool) throws {
        try answerLandlockWithENOSYS()
        let memory = try Confinement.prepareProcess(allowUnlockedMemory: false, requiredLockLimit: serverLockLimit)
        let report = try Confinement.confine(
            account: ServiceAccount(user: "nobody", group: "nogroup"), memory: memory,
            writablePaths: [directory], readOnlyPaths: [], allowWithoutLandlock: allowed)
        emit("landlock", "\(report.landlock)")
        emit("Seccomp", field("Seccomp", readWithSyscalls("/proc/self/status")))
        emit("done", "1")
    }

    private static func answerLandlockWithENOSYS() throws {
        guard let context = seccomp_init(ashlink_scmp_act_allow()) else { throw ScenarioError("seccomp_init failed") }
        defer { seccomp_release(context) }
        guard seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1) == 0,
            seccomp_rule_add_array(context, ashlink_scmp_act_errno(UInt16(ENOSYS)),
                                   seccomp_syscall_resolve_name("landlock_create_ruleset"), 0, nil) == 0,
            seccomp_load(context) == 0
        else { throw ScenarioError("cannot install the filter that hides Landlock") }
    }

    /// The distinct values of `keys` over every thread, "|"-separated (one entry when all agree).
    static func taskStates(_ keys: [String]) -> String {
        var summaries = Set<String>()
        for tid in threadIDs() {
            let status = readWithSyscalls("/proc/self/task/\(tid)/status")
            summaries.insert(keys.map { "\($0):\(field($0, status))" }.joined(separator: " "))
        }
        return summaries.sorted().joined(separator: " | ")
    }

    static func threadIDs() -> [String] {
        var tasks: [String] = []
        if let dir = opendir("/proc/self/task") {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                if name.first?.isNumber == true { tasks.append(name) }
            }
            closedir(dir)
        }
        return tasks
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
