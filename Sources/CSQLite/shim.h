#include <sqlite3.h>

/* SQLITE_TRANSIENT is a function-like macro that Swift cannot import. */
static inline sqlite3_destructor_type ashlink_sqlite_transient(void) { return SQLITE_TRANSIENT; }

#include <sys/vfs.h>
#include <linux/magic.h>

/* Whether the database folder is on a RAM-backed file system (tmpfs or ramfs): ephemeral storage needs it. */
static inline int ashlink_is_ram_backed(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return 0;
    return info.f_type == TMPFS_MAGIC || info.f_type == RAMFS_MAGIC;
}
