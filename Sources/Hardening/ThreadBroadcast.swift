internal import CKernelCalls
internal import CThreadBroadcast
import Glibc

/// What every thread of the process must apply to itself.
///
/// Linux keeps credentials, capability sets, `PR_SET_KEEPCAPS`, no_new_privs and the Landlock
/// domain per *thread*. By the time the server confines itself, NIO and libdispatch have started
/// threads, so each of them must make the same change. glibc's `setuid` broadcast is not enough:
/// it drops every capability on the other threads, and after `mlockall(MCL_FUTURE)` a thread
/// without CAP_IPC_LOCK can no longer map memory (thread stacks, malloc arenas, Argon2's 64 MiB)
/// once the process holds more than RLIMIT_MEMLOCK. See docs/decisions/0005.
struct ThreadPlan {
    /// Change to this uid/gid (with no supplementary groups).
    var credentials: (uid: UInt32, gid: UInt32)?
    /// The capability sets every thread ends with, whether or not it changes its uid.
    var capabilities: CapabilityPlan
    var setNoNewPrivs: Bool
    /// A Landlock ruleset to enforce on every thread, or -1.
    var landlockRuleset: Int32
}

/// Applies a `ThreadPlan` to every thread of the process (the calling thread last), the way
/// libcap's psx does: signal each thread (SIGPROF, the one asynchronous signal that libdispatch's
/// worker threads leave unblocked) and let a handler of raw, async-signal-safe system calls do the
/// work; repeat until no thread is left that has not answered, so threads created meanwhile by a
/// not-yet-confined thread are caught too.
enum ThreadBroadcast {
    /// The number of threads the plan was applied to, including the caller.
    static func apply(_ plan: ThreadPlan) throws -> Int {
        guard ashlink_broadcast_try_begin() == 1 else {
            throw HardeningError("internal error: confinement was started twice")
        }
        ashlink_broadcast_configure(
            plan.credentials == nil ? 0 : 1,
            plan.credentials?.uid ?? 0,
            plan.credentials?.gid ?? 0,
            plan.capabilities.keep,
            Int32(lastCapability()),
            plan.capabilities.dropBounding ? 1 : 0,
            plan.setNoNewPrivs ? 1 : 0,
            plan.landlockRuleset)

        guard ashlink_broadcast_install_handler() == 0 else {
            throw HardeningError("cannot install the SIGPROF handler used to confine every thread: \(errnoText(errno))")
        }
        let confined: Int
        do {
            confined = try signalEveryThread()
        } catch {
            _ = ashlink_broadcast_remove_handler()  // the confinement failure is the one to report
            throw error
        }
        guard ashlink_broadcast_remove_handler() == 0 else {
            throw HardeningError("cannot restore the SIGPROF handler after confining every thread: \(errnoText(errno))")
        }
        let me = Int32(ashlink_gettid())
        let own = ashlink_broadcast_apply_to_current_thread()
        if own != 0 { throw failure(own, thread: me) }
        return confined + 1
    }

    /// Signals every other thread until none is left unanswered; the number confined.
    private static func signalEveryThread() throws -> Int {
        let me = Int32(ashlink_gettid())
        var done = Set<Int32>()
        var passes = 0
        while true {
            let pending = threadIDs().filter { $0 != me && !done.contains($0) }
            if pending.isEmpty { break }
            passes += 1
            guard passes <= 64 else {
                throw HardeningError("threads kept appearing while confining the process; start it again")
            }
            var signalled: [Int32] = []
            for tid in pending {
                // A thread that blocks SIGPROF right now (libdispatch starts its workers with every
                // signal blocked, then unblocks SIGPROF) gets it as soon as it unblocks it.
                if ashlink_broadcast_signal_thread(tid) != 0 {
                    if errno == ESRCH { done.insert(tid); continue }  // it exited meanwhile
                    throw HardeningError("cannot signal thread \(tid) to confine it: \(errnoText(errno))")
                }
                signalled.append(tid)
            }
            for tid in signalled {
                let result = try waitForAnswer(from: tid)
                if result != 0 { throw failure(result, thread: tid) }
                done.insert(tid)
            }
        }
        return done.count
    }

    /// Waits up to 5 s for `tid` to answer; a thread that exited counts as done (result 0).
    private static func waitForAnswer(from tid: Int32) throws -> Int32 {
        var waited = 0
        while true {
            let result = ashlink_broadcast_result_for(tid)
            if result != ASHLINK_BROADCAST_NOT_ANSWERED { return result }
            if access("/proc/self/task/\(tid)", F_OK) != 0 { return 0 }
            if waited >= 5000 {
                if signalBlocked(SIGPROF, in: tid) {
                    throw HardeningError(
                        "thread \(tid) blocks SIGPROF, so it cannot be confined; do not block SIGPROF in the server's threads")
                }
                throw HardeningError("thread \(tid) did not answer the confinement signal within 5 s; start the server again")
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
            waited += 1
        }
    }

    private static func failure(_ result: Int32, thread tid: Int32) -> HardeningError {
        let step = ashlink_broadcast_failed_step(result)
        let what = ashlink_broadcast_step(rawValue: UInt32(bitPattern: step)).map(stepName) ?? "step \(step)"
        return HardeningError("confining thread \(tid) failed at \(what): \(errnoText(ashlink_broadcast_failed_errno(result)))")
    }

    private static func stepName(_ step: ashlink_broadcast_step) -> String {
        switch step {
        case .ASHLINK_STEP_BOUNDING: return "dropping capabilities from the bounding set"
        case .ASHLINK_STEP_AMBIENT: return "clearing ambient capabilities"
        case .ASHLINK_STEP_SETGROUPS: return "setgroups([])"
        case .ASHLINK_STEP_SETRESGID: return "setresgid"
        case .ASHLINK_STEP_KEEPCAPS: return "PR_SET_KEEPCAPS"
        case .ASHLINK_STEP_SETRESUID: return "setresuid"
        case .ASHLINK_STEP_CAPSET: return "capset (effective = permitted = what the memory lock needs, inheritable empty)"
        case .ASHLINK_STEP_CLEAR_KEEPCAPS: return "clearing PR_SET_KEEPCAPS"
        case .ASHLINK_STEP_NO_NEW_PRIVS: return "PR_SET_NO_NEW_PRIVS"
        case .ASHLINK_STEP_LANDLOCK: return "landlock_restrict_self"
        }
    }

    /// Thread ids of this process, from /proc/self/task.
    static func threadIDs() -> [Int32] {
        guard let dir = opendir("/proc/self/task") else { return [] }
        defer { closedir(dir) }
        var ids: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if let id = Int32(name) { ids.append(id) }
        }
        return ids
    }

    private static func signalBlocked(_ signal: Int32, in tid: Int32) -> Bool {
        guard let status = readTextFile("/proc/self/task/\(tid)/status"),
            let mask = statusField("SigBlk", in: status).flatMap({ UInt64($0, radix: 16) })
        else { return false }
        return mask & (UInt64(1) << UInt64(signal - 1)) != 0
    }
}

/// The highest capability number this kernel knows (CAP_LAST_CAP may be newer than our headers).
func lastCapability() -> Int {
    if let text = readTextFile("/proc/sys/kernel/cap_last_cap"),
        let value = Int(text.split(separator: "\n").first.map(String.init) ?? "")
    {
        return min(value, 63)
    }
    return 40
}
