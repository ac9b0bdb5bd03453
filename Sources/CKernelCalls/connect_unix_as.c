#define _GNU_SOURCE
#include "CKernelCalls.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

/* The child makes raw system calls only, as a child of a multithreaded process must. */
int ashlink_connect_unix_as(const char *path, uid_t uid, gid_t gid) {
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
        /* A failed write leaves the parent with a short read, which it reports as EIO. */
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
