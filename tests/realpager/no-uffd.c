/* A test shim, preloaded into realpager: userfaultfd(2) fails with the errno
 * in NO_UFFD_ERRNO (default EPERM) and every other syscall(2) goes through,
 * so the test can check what realpager does on a machine without
 * userfaultfd. With FAIL_UFFD_COPY set, userfaultfd works but every
 * UFFDIO_COPY fails with ENOMEM, for the pager's error path. */
#include <dlfcn.h>
#include <errno.h>
#include <linux/userfaultfd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

long syscall(long number, ...);

int ioctl(int fd, unsigned long request, ...) {
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (request == UFFDIO_COPY && getenv("FAIL_UFFD_COPY") != NULL) {
        errno = ENOMEM;
        return -1;
    }
    void *sym = dlsym(RTLD_NEXT, "ioctl");
    int (*real)(int, unsigned long, ...);
    memcpy(&real, &sym, sizeof real);
    return real(fd, request, arg);
}

long syscall(long number, ...) {
    if (number == SYS_userfaultfd && getenv("FAIL_UFFD_COPY") == NULL) {
        const char *e = getenv("NO_UFFD_ERRNO");
        errno = e != NULL ? atoi(e) : EPERM;
        return -1;
    }
    void *sym = dlsym(RTLD_NEXT, "syscall");
    long (*real)(long, ...);
    memcpy(&real, &sym, sizeof real); /* ISO C has no object-to-function cast */
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
