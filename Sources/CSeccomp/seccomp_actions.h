#ifndef ASHLINK_CSECCOMP_SECCOMP_ACTIONS_H
#define ASHLINK_CSECCOMP_SECCOMP_ACTIONS_H

/*
 * libseccomp for Swift: its functions import directly, but its actions are function-like macros,
 * which do not. Header-only: each wrapper is emitted into the object that calls it.
 */

#include <seccomp.h>
#include <stdint.h>

static inline uint32_t ashlink_scmp_act_errno(uint16_t error) { return SCMP_ACT_ERRNO(error); }
static inline uint32_t ashlink_scmp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t ashlink_scmp_act_allow(void) { return SCMP_ACT_ALLOW; }

#endif
