/* userfaultfd: opening it (saying why when it cannot be had), mapping and
 * registering a region per VMO, and resolving one page with UFFDIO_COPY. */
#include "tests/realpager/rp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RP_ERROR  (g_quark_from_static_string("realpager"))
#define PAGE_SIZE 4096u

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

/* Why userfaultfd failed, in words a user can act on. */
static char *why_unavailable(int err) {
    g_autofree char *knob = NULL;
    g_file_get_contents("/proc/sys/vm/unprivileged_userfaultfd", &knob, NULL, NULL);
    if (err == ENOSYS)
        return g_strdup("the kernel has no userfaultfd (CONFIG_USERFAULTFD is off)");
    if (err == EPERM && geteuid() == 0)
        return g_strdup("userfaultfd is refused even to root (a seccomp filter or a security "
                        "module forbids it)");
    if (err == EPERM)
        return g_strdup_printf("userfaultfd is not permitted: not root or CAP_SYS_PTRACE, "
                               "vm.unprivileged_userfaultfd is %s, and user-mode-only "
                               "userfaultfd was refused too",
                               knob ? g_strstrip(knob) : "unreadable");
    return g_strdup_printf("userfaultfd failed: %s", g_strerror(err));
}

gboolean rp_uffd_open(int *uffd, GError **error) {
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == EPERM) /* unprivileged: user-mode faults are all we need */
        fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (fd < 0) {
        g_autofree char *why = why_unavailable(errno);
        g_set_error(error, RP_ERROR, RP_EXIT_SKIP, "%s", why);
        return FALSE;
    }
    struct uffdio_api api = {.api = UFFD_API, .features = 0};
    if (ioctl(fd, UFFDIO_API, &api) != 0) {
        int e = errno;
        close(fd);
        g_set_error(error, RP_ERROR, RP_EXIT_SKIP, "UFFDIO_API failed: %s", g_strerror(e));
        return FALSE;
    }
    *uffd = fd;
    return TRUE;
}

gboolean rp_region_map(RpRun *run, RpRegion *r, uint64_t size, GError **error) {
    r->size = size;
    r->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r->base == MAP_FAILED) {
        r->base = NULL;
        g_set_error(error, RP_ERROR, 1, "mmap of %" G_GUINT64_FORMAT " bytes failed: %s", size,
                    g_strerror(errno));
        return FALSE;
    }
    madvise(r->base, size, MADV_NOHUGEPAGE); /* a fault is one 4 KiB page, as in the model */
    r->state = g_new0(_Atomic uint8_t, size / PAGE_SIZE);
    struct uffdio_register reg = {
        .range = {.start = (uintptr_t)r->base, .len = size},
        .mode = UFFDIO_REGISTER_MODE_MISSING,
    };
    if (ioctl(run->uffd, UFFDIO_REGISTER, &reg) != 0) {
        g_set_error(error, RP_ERROR, RP_EXIT_SKIP, "UFFDIO_REGISTER failed: %s", g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

void rp_region_unmap(RpRegion *r) {
    if (r->base != NULL)
        munmap(r->base, r->size);
    g_free((gpointer)r->state);
    r->base = NULL;
    r->state = NULL;
}

/* Copies a page of filler into @page of @r, waking its waiters. A concurrent
 * resolution of the same page gives EEXIST: then only the waiters are woken. */
gboolean rp_supply(RpRun *run, RpRegion *r, uint64_t page, gboolean *existed, GError **error) {
    static _Alignas(4096) const char filler[PAGE_SIZE] = {1};
    uintptr_t dst = (uintptr_t)r->base + page * PAGE_SIZE;
    struct uffdio_copy copy = {.dst = dst, .src = (uintptr_t)filler, .len = PAGE_SIZE};
    *existed = FALSE;
    while (ioctl(run->uffd, UFFDIO_COPY, &copy) != 0) {
        if (errno == EAGAIN) {
            copy.copy = 0;
            continue;
        }
        if (errno != EEXIST) {
            g_set_error(error, RP_ERROR, 1, "UFFDIO_COPY failed: %s", g_strerror(errno));
            return FALSE;
        }
        *existed = TRUE;
        struct uffdio_range wake = {.start = dst, .len = PAGE_SIZE};
        ioctl(run->uffd, UFFDIO_WAKE, &wake);
        break;
    }
    return TRUE;
}
