#define _GNU_SOURCE
#include "CThreadBroadcast.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#define SLOTS 1024

static struct {
    int drop_credentials;
    uid_t uid;
    gid_t gid;
    uint64_t keep_capabilities;
    int last_capability;
    int drop_bounding;
    int set_no_new_privs;
    int landlock_fd;
    int count;              /* slots used (atomic) */
    int tids[SLOTS];        /* 0 until the slot's result is written (atomic) */
    int results[SLOTS];
} state;

static int busy;
static struct sigaction previous_handler;

int ashlink_broadcast_try_begin(void) {
    int expected = 0;
    return __atomic_compare_exchange_n(&busy, &expected, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ? 1 : 0;
}

void ashlink_broadcast_configure(int drop_credentials, uid_t uid, gid_t gid, uint64_t keep_capabilities,
                                 int last_capability, int drop_bounding, int set_no_new_privs, int landlock_fd) {
    state.drop_credentials = drop_credentials;
    state.uid = uid;
    state.gid = gid;
    state.keep_capabilities = keep_capabilities;
    state.last_capability = last_capability;
    state.drop_bounding = drop_bounding;
    state.set_no_new_privs = set_no_new_privs;
    state.landlock_fd = landlock_fd;
    for (int i = 0; i < SLOTS; i++) {
        __atomic_store_n(&state.tids[i], 0, __ATOMIC_RELAXED);
        state.results[i] = 0;
    }
    __atomic_store_n(&state.count, 0, __ATOMIC_SEQ_CST);
}

/* effective = permitted = `keep`, inheritable empty. */
static int set_capabilities(uint64_t keep) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    data[0].effective = data[0].permitted = (uint32_t)keep;
    data[1].effective = data[1].permitted = (uint32_t)(keep >> 32);
    return (int)syscall(SYS_capset, &header, data);
}

/* Async-signal-safe: raw system calls only. The capability steps run whether or not the thread
 * changes its uid: a process started unprivileged may hold ambient or file capabilities too. */
int ashlink_broadcast_apply_to_current_thread(void) {
#define FAIL(step) return ((step) << 16) | (errno & 0xffff)
    /* The bounding set first: dropping from it needs CAP_SETPCAP, which capset removes below.
     * A thread started by an already confined one inherits the cut set without CAP_SETPCAP, and
     * the kernel refuses even a drop that would change nothing: only what is still there goes. */
    if (state.drop_bounding) {
        for (int cap = 0; cap <= state.last_capability; cap++) {
            if (state.keep_capabilities & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0) continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) FAIL(ASHLINK_STEP_BOUNDING);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) FAIL(ASHLINK_STEP_AMBIENT);
    int dropping = state.drop_credentials && syscall(SYS_geteuid) == 0;
    if (dropping) {
        if (syscall(SYS_setgroups, 0, NULL) != 0) FAIL(ASHLINK_STEP_SETGROUPS);
        if (syscall(SYS_setresgid, state.gid, state.gid, state.gid) != 0) FAIL(ASHLINK_STEP_SETRESGID);
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) FAIL(ASHLINK_STEP_KEEPCAPS);
        if (syscall(SYS_setresuid, state.uid, state.uid, state.uid) != 0) FAIL(ASHLINK_STEP_SETRESUID);
    }
    if (set_capabilities(state.keep_capabilities) != 0) FAIL(ASHLINK_STEP_CAPSET);
    if (dropping && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) FAIL(ASHLINK_STEP_CLEAR_KEEPCAPS);
    if (state.set_no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) FAIL(ASHLINK_STEP_NO_NEW_PRIVS);
    if (state.landlock_fd >= 0 && syscall(SYS_landlock_restrict_self, state.landlock_fd, 0) != 0) FAIL(ASHLINK_STEP_LANDLOCK);
#undef FAIL
    return 0;
}

static void handler(int signal_number) {
    (void)signal_number;
    int saved_errno = errno;
    int result = ashlink_broadcast_apply_to_current_thread();
    int slot = __atomic_fetch_add(&state.count, 1, __ATOMIC_SEQ_CST);
    if (slot < SLOTS) {
        state.results[slot] = result;
        __atomic_store_n(&state.tids[slot], (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
    }
    errno = saved_errno;
}

int ashlink_broadcast_result_for(int tid) {
    int used = __atomic_load_n(&state.count, __ATOMIC_SEQ_CST);
    if (used > SLOTS) used = SLOTS;
    for (int i = 0; i < used; i++) {
        if (__atomic_load_n(&state.tids[i], __ATOMIC_ACQUIRE) == tid) return state.results[i];
    }
    return ASHLINK_BROADCAST_NOT_ANSWERED;
}

int ashlink_broadcast_install_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPROF, &action, &previous_handler);
}

int ashlink_broadcast_remove_handler(void) {
    return sigaction(SIGPROF, &previous_handler, NULL);
}

int ashlink_broadcast_signal_thread(int tid) {
    return (int)syscall(SYS_tgkill, getpid(), tid, SIGPROF);
}
