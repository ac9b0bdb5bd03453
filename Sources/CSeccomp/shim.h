#ifndef ASHLINK_CSECCOMP_SHIM_H
#define ASHLINK_CSECCOMP_SHIM_H

/*
 * System calls and macros that the Hardening module needs but that Swift cannot import directly:
 * variadic functions (prctl, syscall, seccomp_rule_add), function-like macros (SCMP_ACT_*), and raw
 * system calls that glibc has no wrapper for (capget/capset, landlock_*).
 *
 * Everything here is a `static inline` function so that the module stays a header-only system
 * library target: Swift emits each function into the object file that calls it.
 */

#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sched.h>
#include <linux/sched.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <malloc.h>
#include <pthread.h>
#include <pwd.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/landlock.h>

/* GNU extensions that Swift's Glibc module does not declare (it is built without _GNU_SOURCE). */
extern int pthread_getattr_default_np(pthread_attr_t *attr);
extern int pthread_setattr_default_np(const pthread_attr_t *attr);

/* ---------------------------------------------------------------------------------------------
 * prctl (variadic in glibc)
 * ------------------------------------------------------------------------------------------- */

static inline int ashlink_prctl_set_dumpable(int value) { return prctl(PR_SET_DUMPABLE, value, 0, 0, 0); }
static inline int ashlink_prctl_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }
static inline int ashlink_prctl_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int ashlink_prctl_get_no_new_privs(void) { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); }
static inline int ashlink_prctl_get_seccomp(void) { return prctl(PR_GET_SECCOMP, 0, 0, 0, 0); }
static inline int ashlink_prctl_set_keepcaps(int value) { return prctl(PR_SET_KEEPCAPS, value, 0, 0, 0); }
static inline int ashlink_prctl_cap_ambient_raise(int capability) {
    return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, capability, 0, 0);
}
static inline int ashlink_prctl_cap_ambient_is_set(int capability) {
    return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, capability, 0, 0);
}
static inline int ashlink_prctl_capbset_read(int capability) { return prctl(PR_CAPBSET_READ, capability, 0, 0, 0); }

/* prctl option numbers the seccomp filter compares arg0 against. */
static inline uint64_t ashlink_pr_set_name(void) { return PR_SET_NAME; }
static inline uint64_t ashlink_pr_get_name(void) { return PR_GET_NAME; }

/* ioctl request numbers the seccomp filter allows (everything else kills the process). */
static inline uint64_t ashlink_ioctl_fionread(void) { return FIONREAD; }
static inline uint64_t ashlink_ioctl_fionbio(void) { return FIONBIO; }
static inline uint64_t ashlink_ioctl_fioclex(void) { return FIOCLEX; }
static inline uint64_t ashlink_ioctl_fionclex(void) { return FIONCLEX; }
static inline uint64_t ashlink_ioctl_tcgets(void) { return TCGETS; }
static inline uint64_t ashlink_ioctl_tiocgwinsz(void) { return TIOCGWINSZ; }

/* clone flags: a new thread has CLONE_THREAD and no namespace flags. */
static inline uint64_t ashlink_clone_thread(void) { return CLONE_THREAD; }
static inline uint64_t ashlink_clone_namespace_flags(void) {
    return CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
}

/* ---------------------------------------------------------------------------------------------
 * libseccomp action macros
 * ------------------------------------------------------------------------------------------- */

static inline uint32_t ashlink_scmp_act_errno(uint16_t error) { return SCMP_ACT_ERRNO(error); }
static inline uint32_t ashlink_scmp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t ashlink_scmp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t ashlink_scmp_act_log(void) { return SCMP_ACT_LOG; }

/* ---------------------------------------------------------------------------------------------
 * Raw system calls
 * ------------------------------------------------------------------------------------------- */

/* syscall(2) is variadic; this is the six-argument form. */
static inline long ashlink_syscall6(long number, long a, long b, long c, long d, long e, long f) {
    return syscall(number, a, b, c, d, e, f);
}

static inline long ashlink_gettid(void) { return syscall(SYS_gettid); }
static inline long ashlink_raw_setuid(uid_t uid) { return syscall(SYS_setuid, uid); }
static inline long ashlink_raw_setgid(gid_t gid) { return syscall(SYS_setgid, gid); }

/* Connects to the Unix socket at `path` as uid/gid with no supplementary groups (how tor runs
 * after dropping root), in a forked child so that this process keeps its credentials. The child
 * makes raw system calls only, as a child of a multithreaded process must. Returns 0 when the
 * connection was accepted, else the errno of the step that failed. */
static inline int ashlink_connect_unix_as(const char *path, uid_t uid, gid_t gid) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) return ENAMETOOLONG;
    strcpy(address.sun_path, path);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t child = fork();
    if (child < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        return error;
    }
    if (child == 0) {
        int result = 0;
        if (syscall(SYS_setgroups, 1, &gid) != 0 || syscall(SYS_setresgid, gid, gid, gid) != 0
            || syscall(SYS_setresuid, uid, uid, uid) != 0) {
            result = errno;
        } else {
            int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) result = errno;
        }
        (void)!write(report[1], &result, sizeof result);
        _exit(0);
    }
    close(report[1]);
    int result = EIO;
    ssize_t got;
    do { got = read(report[0], &result, sizeof result); } while (got < 0 && errno == EINTR);
    if (got != sizeof result) result = EIO;
    close(report[0]);
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    return result;
}

/* Capability sets of the calling thread: [0] = low 32 bits, [1] = high 32 bits. */
static inline int ashlink_capget(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &header, data) != 0) return -1;
    *effective = ((uint64_t)data[1].effective << 32) | data[0].effective;
    *permitted = ((uint64_t)data[1].permitted << 32) | data[0].permitted;
    *inheritable = ((uint64_t)data[1].inheritable << 32) | data[0].inheritable;
    return 0;
}

static inline int ashlink_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    data[0].effective = (uint32_t)effective;       data[1].effective = (uint32_t)(effective >> 32);
    data[0].permitted = (uint32_t)permitted;       data[1].permitted = (uint32_t)(permitted >> 32);
    data[0].inheritable = (uint32_t)inheritable;   data[1].inheritable = (uint32_t)(inheritable >> 32);
    return (int)syscall(SYS_capset, &header, data);
}

/* Landlock. Debian 12's linux-libc-dev only knows ABI 2, so the newer access bits are spelled out. */
#define ASHLINK_LANDLOCK_ACCESS_FS_TRUNCATE  (1ULL << 14) /* ABI 3 */
#define ASHLINK_LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */

static inline int ashlink_landlock_abi_version(void) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return v < 0 ? -errno : (int)v;
}

static inline int ashlink_landlock_create_ruleset(uint64_t handled_access_fs) {
    struct landlock_ruleset_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.handled_access_fs = handled_access_fs;
    return (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
}

static inline int ashlink_landlock_add_path_rule(int ruleset_fd, int parent_fd, uint64_t allowed_access) {
    struct landlock_path_beneath_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.allowed_access = allowed_access;
    attr.parent_fd = parent_fd;
    return (int)syscall(SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
}

static inline uint64_t ashlink_landlock_fs_rights_for_abi(int abi) {
    uint64_t rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
        LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
        LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
        LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
        LANDLOCK_ACCESS_FS_MAKE_SYM;
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= ASHLINK_LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) rights |= ASHLINK_LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

/* Rights that make sense on a regular file (a rule on a non-directory may only carry these). */
static inline uint64_t ashlink_landlock_file_rights(void) {
    return LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
        ASHLINK_LANDLOCK_ACCESS_FS_TRUNCATE | ASHLINK_LANDLOCK_ACCESS_FS_IOCTL_DEV;
}
static inline uint64_t ashlink_landlock_read_rights(void) {
    return LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
}
static inline uint64_t ashlink_landlock_read_write_rights(void) {
    return LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_WRITE_FILE |
        LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
        LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_SOCK | ASHLINK_LANDLOCK_ACCESS_FS_TRUNCATE;
}

/* ---------------------------------------------------------------------------------------------
 * Per-thread confinement broadcast.
 *
 * Credentials, capability sets, PR_SET_KEEPCAPS, no_new_privs and Landlock domains belong to a
 * *thread*, not to the process. glibc's setuid() broadcasts to every thread, but it neither keeps
 * CAP_IPC_LOCK on the other threads nor applies Landlock there, and after mlockall(MCL_FUTURE) a
 * thread without CAP_IPC_LOCK cannot map memory once the process holds more than RLIMIT_MEMLOCK.
 * So, like libcap's psx, the caller signals each thread (SIGPROF: the one asynchronous signal that
 * libdispatch workers leave unblocked) and the handler below applies the same steps with raw,
 * async-signal-safe system calls. The state lives in one static struct; only one Swift file
 * (ThreadBroadcast.swift) may call these functions so that there is exactly one copy of it.
 * ------------------------------------------------------------------------------------------- */

#define ASHLINK_BROADCAST_SLOTS 1024

/* Steps, in order; a failing step is reported as (step << 16) | errno. */
enum {
    ASHLINK_STEP_BOUNDING = 1,
    ASHLINK_STEP_AMBIENT = 2,
    ASHLINK_STEP_SETGROUPS = 3,
    ASHLINK_STEP_SETRESGID = 4,
    ASHLINK_STEP_KEEPCAPS = 5,
    ASHLINK_STEP_SETRESUID = 6,
    ASHLINK_STEP_CAPSET = 7,
    ASHLINK_STEP_CLEAR_KEEPCAPS = 8,
    ASHLINK_STEP_NO_NEW_PRIVS = 9,
    ASHLINK_STEP_LANDLOCK = 10,
};

struct ashlink_broadcast_state {
    int drop_credentials;      /* 1: change uid/gid and keep only `keep_capabilities` */
    uid_t uid;
    gid_t gid;
    uint64_t keep_capabilities;
    int last_capability;
    int set_no_new_privs;
    int landlock_fd;           /* -1: none */
    int count;                 /* slots used (atomic) */
    int tids[ASHLINK_BROADCAST_SLOTS];     /* 0 until the slot's result is written (atomic) */
    int results[ASHLINK_BROADCAST_SLOTS];
};

static inline struct ashlink_broadcast_state *ashlink_broadcast_state(void) {
    static struct ashlink_broadcast_state state;
    return &state;
}

/* Only one broadcast at a time: returns 1 if the caller now owns the state. */
static inline int ashlink_broadcast_try_begin(void) {
    static int busy;
    int expected = 0;
    return __atomic_compare_exchange_n(&busy, &expected, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ? 1 : 0;
}

static inline void ashlink_broadcast_reset(int drop_credentials, uid_t uid, gid_t gid, uint64_t keep_capabilities,
                                           int last_capability, int set_no_new_privs, int landlock_fd) {
    struct ashlink_broadcast_state *s = ashlink_broadcast_state();
    s->drop_credentials = drop_credentials;
    s->uid = uid;
    s->gid = gid;
    s->keep_capabilities = keep_capabilities;
    s->last_capability = last_capability;
    s->set_no_new_privs = set_no_new_privs;
    s->landlock_fd = landlock_fd;
    for (int i = 0; i < ASHLINK_BROADCAST_SLOTS; i++) {
        __atomic_store_n(&s->tids[i], 0, __ATOMIC_RELAXED);
        s->results[i] = 0;
    }
    __atomic_store_n(&s->count, 0, __ATOMIC_SEQ_CST);
}

/* Applies the configured steps to the calling thread. Async-signal-safe: raw system calls only. */
static inline int ashlink_broadcast_apply_to_current_thread(void) {
    struct ashlink_broadcast_state *s = ashlink_broadcast_state();
#define ASHLINK_FAIL(step) return ((step) << 16) | (errno & 0xffff)
    if (s->drop_credentials && syscall(SYS_geteuid) == 0) {
        for (int cap = 0; cap <= s->last_capability; cap++) {
            if (s->keep_capabilities & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) ASHLINK_FAIL(ASHLINK_STEP_BOUNDING);
        }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) ASHLINK_FAIL(ASHLINK_STEP_AMBIENT);
        if (syscall(SYS_setgroups, 0, NULL) != 0) ASHLINK_FAIL(ASHLINK_STEP_SETGROUPS);
        if (syscall(SYS_setresgid, s->gid, s->gid, s->gid) != 0) ASHLINK_FAIL(ASHLINK_STEP_SETRESGID);
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) ASHLINK_FAIL(ASHLINK_STEP_KEEPCAPS);
        if (syscall(SYS_setresuid, s->uid, s->uid, s->uid) != 0) ASHLINK_FAIL(ASHLINK_STEP_SETRESUID);
        if (ashlink_capset(s->keep_capabilities, s->keep_capabilities, 0) != 0) ASHLINK_FAIL(ASHLINK_STEP_CAPSET);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) ASHLINK_FAIL(ASHLINK_STEP_CLEAR_KEEPCAPS);
    }
    if (s->set_no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ASHLINK_FAIL(ASHLINK_STEP_NO_NEW_PRIVS);
    if (s->landlock_fd >= 0 && syscall(SYS_landlock_restrict_self, s->landlock_fd, 0) != 0) ASHLINK_FAIL(ASHLINK_STEP_LANDLOCK);
#undef ASHLINK_FAIL
    return 0;
}

static inline void ashlink_broadcast_handler(int signal_number) {
    (void)signal_number;
    int saved_errno = errno;
    struct ashlink_broadcast_state *s = ashlink_broadcast_state();
    int result = ashlink_broadcast_apply_to_current_thread();
    int slot = __atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
    if (slot < ASHLINK_BROADCAST_SLOTS) {
        s->results[slot] = result;
        __atomic_store_n(&s->tids[slot], (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
    }
    errno = saved_errno;
}

/* Result recorded by thread `tid`: 1 = not (yet) answered, otherwise the handler's result (0 = ok). */
static inline int ashlink_broadcast_result_for(int tid) {
    struct ashlink_broadcast_state *s = ashlink_broadcast_state();
    int used = __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);
    if (used > ASHLINK_BROADCAST_SLOTS) used = ASHLINK_BROADCAST_SLOTS;
    for (int i = 0; i < used; i++) {
        if (__atomic_load_n(&s->tids[i], __ATOMIC_ACQUIRE) == tid) return s->results[i];
    }
    return 1;
}

static inline int ashlink_broadcast_install_handler(struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ashlink_broadcast_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPROF, &action, previous);
}

static inline int ashlink_broadcast_restore_handler(const struct sigaction *previous) {
    return sigaction(SIGPROF, previous, NULL);
}

static inline int ashlink_broadcast_signal_thread(int tid) {
    return (int)syscall(SYS_tgkill, getpid(), tid, SIGPROF);
}

static inline int ashlink_sigprof(void) { return SIGPROF; }

/* glibc tunables that bound how much address space threads add to the locked footprint. */
static inline int ashlink_set_malloc_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
static inline int ashlink_set_default_thread_stack(size_t bytes) {
    pthread_attr_t attr;
    if (pthread_getattr_default_np(&attr) != 0) return -1;
    int rc = pthread_attr_setstacksize(&attr, bytes);
    if (rc == 0) rc = pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    return rc;
}

/* O_PATH is a GNU extension (Linux value 010000000 on every architecture but alpha/parisc/sparc). */
static inline int ashlink_o_path(void) {
#ifdef O_PATH
    return O_PATH;
#else
    return 010000000;
#endif
}

/* Resource limits: RLIMIT_* are enum constants whose Swift type does not match getrlimit's, and
   RLIM_INFINITY does not import. Limits are reported as uint64_t with UINT64_MAX = unlimited. */
static inline int ashlink_set_core_limit_zero(void) {
    struct rlimit limit = { 0, 0 };
    return setrlimit(RLIMIT_CORE, &limit);
}
static inline int ashlink_get_core_limit(uint64_t *soft, uint64_t *hard) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_CORE, &limit) != 0) return -1;
    *soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_cur;
    *hard = limit.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_max;
    return 0;
}
static inline int ashlink_get_memlock_limit(uint64_t *soft, uint64_t *hard) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0) return -1;
    *soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_cur;
    *hard = limit.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_max;
    return 0;
}

static inline int ashlink_mcl_onfault(void) { return MCL_ONFAULT; }

#endif
