/* gzip streams (see rep-gz.h). */
#include "sim/report/rep-gz.h"

#include <errno.h>
#include <unistd.h>
#include <zlib.h>

static ssize_t gz_read(void *cookie, char *buf, size_t size) {
    int n = gzread((gzFile)cookie, buf, (unsigned)(size > 1u << 30 ? 1u << 30 : size));
    return n < 0 ? -1 : n;
}

static ssize_t gz_write(void *cookie, const char *buf, size_t size) {
    if (size == 0)
        return 0;
    int n = gzwrite((gzFile)cookie, buf, (unsigned)size);
    return n <= 0 ? -1 : n;
}

static int gz_close(void *cookie) { return gzclose((gzFile)cookie) == Z_OK ? 0 : EOF; }

FILE *rep_gz_wrap_write(FILE *under) {
    if (fflush(under) != 0)
        return NULL;
    int fd = dup(fileno(under));
    gzFile g = fd < 0 ? NULL : gzdopen(fd, "wb6");
    if (g == NULL) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    cookie_io_functions_t io = {.write = gz_write, .close = gz_close};
    FILE *f = fopencookie(g, "w", io);
    if (f == NULL)
        gzclose(g);
    return f;
}

FILE *rep_gz_open_read(const char *path) {
    gzFile g = gzopen(path, "rb");
    if (g == NULL) {
        if (errno == 0)
            errno = ENOMEM;
        return NULL;
    }
    cookie_io_functions_t io = {.read = gz_read, .close = gz_close};
    FILE *f = fopencookie(g, "r", io);
    if (f == NULL)
        gzclose(g);
    return f;
}
