/* A test shim, preloaded into realpager: userfaultfd(2) fails with the errno
 * in NO_UFFD_ERRNO (default EPERM) and every other syscall(2) goes through,
 * so the test can check what realpager does on a machine without
 * userfaultfd. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

long syscall(long number, ...);

long syscall(long number, ...) {
    if (number == SYS_userfaultfd) {
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
