#ifndef ASHLINK_CTHREADBROADCAST_H
#define ASHLINK_CTHREADBROADCAST_H

/*
 * Per-thread confinement broadcast.
 *
 * Credentials, capability sets, PR_SET_KEEPCAPS, no_new_privs and Landlock domains belong to a
 * *thread*, not to the process. glibc's setuid() broadcasts to every thread, but it neither keeps
 * CAP_IPC_LOCK on the other threads nor applies Landlock there, and after mlockall(MCL_FUTURE) a
 * thread without CAP_IPC_LOCK cannot map memory once the process holds more than RLIMIT_MEMLOCK.
 * So, like libcap's psx, the caller signals each thread (SIGPROF: the one asynchronous signal that
 * libdispatch workers leave unblocked) and a handler applies the same steps with raw,
 * async-signal-safe system calls. The plan, the per-thread results and the handler live in
 * thread_broadcast.c, once per process.
 */

#include <stdint.h>
#include <sys/types.h>

/* Steps, in the order the handler applies them. */
typedef enum __attribute__((enum_extensibility(closed))) {
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
} ashlink_broadcast_step;

/* A thread's result: 0 when every step succeeded, ASHLINK_BROADCAST_NOT_ANSWERED while it has
 * not run the handler, otherwise a failure that the two functions below take apart. */
#define ASHLINK_BROADCAST_NOT_ANSWERED 1
static inline int ashlink_broadcast_failed_step(int result) { return result >> 16; }
static inline int ashlink_broadcast_failed_errno(int result) { return result & 0xffff; }

/* Only one broadcast per process: returns 1 if the caller now owns the state, 0 if one began before. */
int ashlink_broadcast_try_begin(void);

/* Sets the plan every thread applies. Always: ambient set cleared, effective = permitted =
 * `keep_capabilities`, inheritable empty. drop_credentials: change to uid/gid with no
 * supplementary groups (root only). drop_bounding: remove every other capability (bit numbers up
 * to `last_capability`) from the bounding set, which needs CAP_SETPCAP. landlock_fd: a ruleset to
 * enforce, or -1. */
void ashlink_broadcast_configure(int drop_credentials, uid_t uid, gid_t gid, uint64_t keep_capabilities,
                                 int last_capability, int drop_bounding, int set_no_new_privs, int landlock_fd);

/* Installs the SIGPROF handler, keeping the previous one for ashlink_broadcast_remove_handler.
 * Both return 0 or -1 with errno set. */
int ashlink_broadcast_install_handler(void);
int ashlink_broadcast_remove_handler(void);

/* Sends SIGPROF to thread `tid` of this process: 0 or -1 with errno set. */
int ashlink_broadcast_signal_thread(int tid);

/* The result thread `tid` recorded (see above). */
int ashlink_broadcast_result_for(int tid);

/* Applies the plan to the calling thread and returns its result. */
int ashlink_broadcast_apply_to_current_thread(void);

#endif
