import CKernelCalls
import Glibc
import Hardening

extension Scenario {
    /// Installs the server filter (as root, nothing else changed) and makes one forbidden call.
    /// Descriptor arguments are -1 where the call would change something real if it were allowed
    /// (fchmod on stdin would change /dev/null): a survivor then reports EBADF instead.
    static func forbidden(_ call: String) throws {
        try SyscallFilter.server.install()
        emit("armed", "1")
        var result: (Int, Int32) = (0, 0)
        switch call {
        case "execve":
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
            result = (Int(execv("/bin/true", argv)), errno)
        case "fork":
            // What fork() does: clone with SIGCHLD and no CLONE_THREAD.
            result = rawSyscall("clone", Int(SIGCHLD))
        case "socket-inet": result = (Int(socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)), errno)
        case "socket-unix": result = (Int(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)), errno)
        case "ptrace": result = rawSyscall("ptrace", 0)  // PTRACE_TRACEME
        case "mount":
            result = "none".withCString { source in
                "/mnt".withCString { target in
                    "tmpfs".withCString { type in
                        rawSyscall("mount", Int(bitPattern: source), Int(bitPattern: target), Int(bitPattern: type))
                    }
                }
            }
        case "setuid": result = (Int(setuid(0)), errno)
        case "mlockall-off": result = rawSyscall("munlockall")
        case "prctl-dumpable": result = (Int(ashlink_prctl_set_dumpable(1)), errno)
        // Another process of the same account could be signalled through a descriptor's owner.
        case "fcntl-setown": result = rawSyscall("fcntl", 1, Int(F_SETOWN), Int(getppid()))
        case "fcntl-setsig": result = rawSyscall("fcntl", 1, 10, Int(SIGKILL))  // F_SETSIG, a GNU extension Glibc does not export
        case "fcntl-dupfd": result = rawSyscall("fcntl", 1, Int(F_DUPFD), 0)
        case "sendfile": result = rawSyscall("sendfile", -1, -1, 0, 1)
        case "pipe2":
            var ends: [Int32] = [-1, -1]
            result = ends.withUnsafeMutableBufferPointer { rawSyscall("pipe2", Int(bitPattern: $0.baseAddress), 0) }
        case "fchmod": result = rawSyscall("fchmod", -1, 0o777)
        case "fchown": result = rawSyscall("fchown", -1, 0, 0)
        default: result = rawSyscall(call)  // bpf, perf_event_open, keyctl, init_module, ...
        }
        emit("survived", "rc \(result.0) errno \(result.1)")
    }
}
