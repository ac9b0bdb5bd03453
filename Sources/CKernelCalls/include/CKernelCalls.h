#ifndef ASHLINK_CKERNELCALLS_H
#define ASHLINK_CKERNELCALLS_H

/*
 * Linux process and kernel calls that Swift cannot import directly: variadic functions (prctl,
 * syscall), constants that are macros or enums of the wrong type (ioctl requests, clone flags,
 * RLIMIT_*, O_PATH, MCL_ONFAULT), and raw system calls that glibc has no wrapper for (capget,
 * landlock_*). The one-line wrappers are `static inline`; what forks lives in a .c file.
 */

#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sched.h>
#include <linux/sched.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <malloc.h>
#include <pthread.h>
#include <linux/capability.h>
#include <linux/landlock.h>

/* GNU extensions that Swift's Glibc module does not declare (it is built without _GNU_SOURCE). */
extern int pthread_getattr_default_np(pthread_attr_t *attr);
extern int pthread_setattr_default_np(const pthread_attr_t *attr);

/* ---------------------------------------------------------------------------------------------
 * prctl (variadic in glibc)
 * ------------------------------------------------------------------------------------------- */

static inline int ashlink_prctl_set_dumpable(int value) { return prctl(PR_SET_DUMPABLE, value, 0, 0, 0); }
static inline int ashlink_prctl_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int ashlink_prctl_get_seccomp(void) { return prctl(PR_GET_SECCOMP, 0, 0, 0, 0); }

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
 * Identity and capabilities
 * ------------------------------------------------------------------------------------------- */

static inline long ashlink_gettid(void) { return syscall(SYS_gettid); }

/* Per-thread setuid/setgid, without glibc's broadcast to the other threads. */
static inline long ashlink_raw_setuid(uid_t uid) { return syscall(SYS_setuid, uid); }
static inline long ashlink_raw_setgid(gid_t gid) { return syscall(SYS_setgid, gid); }

/* Capability sets of the calling thread as 64-bit masks. */
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

/* Connects to the Unix socket at `path` as uid/gid with no supplementary groups (how tor runs
 * after dropping root), in a forked child so that this process keeps its credentials. Returns 0
 * when the connection was accepted, else the errno of the step that failed. */
int ashlink_connect_unix_as(const char *path, uid_t uid, gid_t gid);

/* ---------------------------------------------------------------------------------------------
 * Landlock. Debian 12's linux-libc-dev only knows ABI 2, so the newer access bits are spelled out.
 * ------------------------------------------------------------------------------------------- */

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

/* O_PATH is a GNU extension (Linux value 010000000 on every architecture but alpha/parisc/sparc). */
static inline int ashlink_o_path(void) {
#ifdef O_PATH
    return O_PATH;
#else
    return 010000000;
#endif
}

/* ---------------------------------------------------------------------------------------------
 * Memory: locking, and the glibc tunables that bound how much address space threads add to it
 * ------------------------------------------------------------------------------------------- */

static inline int ashlink_mcl_onfault(void) { return MCL_ONFAULT; }

/* mallopt's convention: 1 on success, 0 on error. */
static inline int ashlink_set_malloc_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

/* 0 on success, else an errno value. */
static inline int ashlink_set_default_thread_stack(size_t bytes) {
    pthread_attr_t attr;
    int rc = pthread_getattr_default_np(&attr);
    if (rc != 0) return rc;
    rc = pthread_attr_setstacksize(&attr, bytes);
    if (rc == 0) rc = pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    return rc;
}

/* Resource limits: RLIMIT_* are enum constants whose Swift type does not match getrlimit's, and
   RLIM_INFINITY does not import. Limits are reported as uint64_t with UINT64_MAX = unlimited. */
static inline int ashlink_set_core_limit_zero(void) {
    struct rlimit limit = { 0, 0 };
    return setrlimit(RLIMIT_CORE, &limit);
}
static inline int ashlink_get_memlock_limit(uint64_t *soft, uint64_t *hard) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0) return -1;
    *soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_cur;
    *hard = limit.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)limit.rlim_max;
    return 0;
}

#endif
