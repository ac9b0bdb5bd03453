import Glibc
import Testing

/// One child per forbidden call: each must die by SIGSYS after the filter is armed. The names are
/// the `forbidden:` scenarios of `ChildScenarios`.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: run the test suite as root (as CI does)"))
struct ForbiddenSyscallTests {
    @Test(arguments: [
        "execve", "execveat", "fork", "vfork", "ptrace", "socket-inet", "socket-unix", "mount", "umount2", "chroot",
        "pivot_root", "init_module", "finit_module", "delete_module", "add_key", "request_key", "keyctl", "bpf",
        "perf_event_open", "process_vm_readv", "process_vm_writev", "unshare", "setuid", "mlockall-off",
        "prctl-dumpable", "fcntl-setown", "fcntl-setsig", "fcntl-dupfd", "sendfile", "pipe2", "fchmod", "fchown",
    ])
    func killsTheProcess(_ call: String) throws {
        let child = try Child.run("forbidden:\(call)")
        #expect(child.report["armed"] == "1", "filter was not installed\n\(child.diagnostics)")
        #expect(child.report["survived"] == nil, "not killed: \(child.report["survived"] ?? "")")
        #expect(child.signal == SIGSYS, "expected death by SIGSYS\n\(child.diagnostics)")
    }
}
