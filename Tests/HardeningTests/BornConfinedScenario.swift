import Glibc
import Hardening

nonisolated(unsafe) private var waiterBlocksSignal = sem_t()
nonisolated(unsafe) private var bornConfinedRuns = sem_t()
nonisolated(unsafe) private var bornConfinedMayExit = sem_t()
nonisolated(unsafe) private var bornConfined = pthread_t()

private let capSysAdmin = 21
private let prCapBSetRead = 23

extension Scenario {
    /// A thread that starts a new one right after it was confined, while the broadcast still runs:
    /// the new thread is born confined (it inherits its parent's credentials), and the broadcast
    /// must still find it, signal it and accept its answer. Deterministic: a second thread keeps
    /// SIGPROF blocked until the new thread runs, so the broadcast's first pass waits for it and
    /// the next pass sees the new thread.
    static func confineWhileAConfinedThreadStartsAnother(directory: String) throws {
        let memory = try Confinement.prepareProcess(allowUnlockedMemory: false, requiredLockLimit: serverLockLimit)
        sem_init(&waiterBlocksSignal, 0, 0)
        sem_init(&bornConfinedRuns, 0, 0)
        sem_init(&bornConfinedMayExit, 0, 0)
        var waiter = pthread_t(), starter = pthread_t()
        pthread_create(&waiter, nil, { _ in
            var profiling = sigset_t()
            sigemptyset(&profiling)
            sigaddset(&profiling, SIGPROF)
            pthread_sigmask(SIG_BLOCK, &profiling, nil)
            sem_post(&waiterBlocksSignal)
            sem_wait(&bornConfinedRuns)
            pthread_sigmask(SIG_UNBLOCK, &profiling, nil)
            return nil
        }, nil)
        sem_wait(&waiterBlocksSignal)
        pthread_create(&starter, nil, { _ in
            // Confined once its bounding set has lost CAP_SYS_ADMIN (prctl is variadic in C).
            while rawSyscall("prctl", prCapBSetRead, capSysAdmin).0 != 0 {
                var pause = timespec(tv_sec: 0, tv_nsec: 100_000)
                nanosleep(&pause, nil)
            }
            pthread_create(&bornConfined, nil, { _ in
                sem_post(&bornConfinedRuns)
                sem_wait(&bornConfinedMayExit)
                return nil
            }, nil)
            return nil
        }, nil)

        let report = try Confinement.confine(
            account: ServiceAccount(user: "nobody", group: "nogroup"), memory: memory,
            writablePaths: [directory], readOnlyPaths: [], allowWithoutLandlock: true)
        emit("report", report.description)
        emit("task_states", taskStates(["Uid", "CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"]))
        sem_post(&bornConfinedMayExit)
        for thread in [waiter, starter, bornConfined] { pthread_join(thread, nil) }
        emit("done", "1")
    }
}
