#ifndef ASHLINK_CHARDENINGTESTSUPPORT_H
#define ASHLINK_CHARDENINGTESTSUPPORT_H

/* What the Hardening tests call that the server never does. */

#include <stdint.h>

/* syscall(2) is variadic; this is its six-argument form, so a test can make any forbidden call. */
long ashlink_test_syscall6(long number, long a, long b, long c, long d, long e, long f);

/* RLIMIT_CORE, with UINT64_MAX for unlimited: 0 or -1 with errno set. */
int ashlink_test_core_limit(uint64_t *soft, uint64_t *hard);

/* PR_GET_DUMPABLE (prctl is variadic). */
int ashlink_test_dumpable(void);

#endif
