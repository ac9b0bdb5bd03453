#include <sqlite3.h>

/* SQLITE_TRANSIENT is a function-like macro that Swift cannot import. */
static inline sqlite3_destructor_type ashlink_sqlite_transient(void) { return SQLITE_TRANSIENT; }
