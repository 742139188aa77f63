/* Background block writer (see rep-blocks.h).
 *
 * Invariants:
 *  1. every buffer is in exactly one place: free (free_bufs), submitted and not
 *     yet written (queue[head .. head + n_queued), the oldest being written by
 *     the thread), or with the caller; n_bufs <= N_BUFS of them exist;
 *  2. the queue is written in submission order, so the file's bytes are the
 *     submitted bytes in order; offset is where the next byte goes;
 *  3. O_DIRECT is on (direct) only while a whole aligned block from an aligned
 *     offset is written, and off whenever the caller may touch the stream
 *     (after rep_blocks_wait);
 *  4. after a write fails, every later byte goes through the stream (stdio),
 *     so the stream's error indicator and errno tell why.
 * The writing state (direct, can_direct, offset, stdio) belongs to whoever
 * writes: the thread while the queue is not empty, the caller otherwise.
 */
#include "sim/report/rep-blocks.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_BUFS 3                 /* one being filled, two on their way to the disk */
#define ALIGN  4096              /* the O_DIRECT alignment assumed; a refusal falls back */
#define HUGE   ((size_t)2 << 20) /* a transparent huge page */

typedef struct {
    char *data;
    size_t len;
} Job;

struct _RepBlocks {
    FILE *stream;            /* the caller's (borrowed) */
    int fd;                  /* its descriptor */
    int flags;               /* its status flags at creation (without O_DIRECT) */
    GThread *thread;         /* started by the first full block; NULL before */
    gboolean no_thread;      /* it could not be started: write in the caller */
    GMutex lock;             /* guards the queue, the buffers and stop */
    GCond cond;              /* signalled on every change of them */
    Job queue[N_BUFS];       /* submitted, not yet written */
    guint head, n_queued;    /* the queue's oldest entry and length */
    gboolean stop;           /* the thread is to end */
    char *bufs[N_BUFS];      /* every buffer allocated */
    guint n_bufs;            /* entries of bufs in use */
    char *free_bufs[N_BUFS]; /* buffers free to fill */
    guint n_free;            /* entries of free_bufs in use */
    gboolean direct;         /* O_DIRECT is on */
    gboolean can_direct;     /* O_DIRECT was not refused */
    off_t offset;            /* file offset of the next byte */
    gboolean stdio;          /* a write failed: the rest goes through the stream */
    int err;                 /* errno of the first failed stream write; 0 */
    gboolean written;        /* something was submitted since the last wait */
};

RepBlocks *rep_blocks_new(FILE *stream) {
    int fd = stream ? fileno(stream) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || fflush(stream) != 0)
        return NULL;
    int flags = fcntl(fd, F_GETFL);
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (flags < 0 || (flags & O_APPEND) || at < 0)
        return NULL;
    RepBlocks *b = g_new0(RepBlocks, 1);
    b->stream = stream;
    b->fd = fd;
    b->flags = flags & ~O_DIRECT;
    b->direct = (flags & O_DIRECT) != 0;
    b->can_direct = TRUE;
    b->offset = at;
    g_mutex_init(&b->lock);
    g_cond_init(&b->cond);
    return b;
}

/* Turns O_DIRECT on or off; a refusal to turn it on is remembered. */
static void set_direct(RepBlocks *b, gboolean on) {
    if (on == b->direct)
        return;
    if (fcntl(b->fd, F_SETFL, on ? b->flags | O_DIRECT : b->flags) == 0)
        b->direct = on;
    else if (on)
        b->can_direct = FALSE;
}

/* After a failure: @len bytes at @p through the stream, which records why. */
static void write_stdio(RepBlocks *b, const char *p, size_t len) {
    if (!b->stdio) {
        b->stdio = TRUE;
        set_direct(b, FALSE);
        if (fseeko(b->stream, b->offset, SEEK_SET) != 0)
            return;
    }
    if (fwrite(p, 1, len, b->stream) == len)
        b->offset += (off_t)len;
    else if (b->err == 0)
        b->err = errno ? errno : EIO;
}

/* Writes @len bytes at @p at offset. */
static void write_job(RepBlocks *b, const char *p, size_t len) {
    if (b->stdio) {
        write_stdio(b, p, len);
        return;
    }
    gboolean aligned = b->offset % ALIGN == 0 && len % ALIGN == 0 && (uintptr_t)p % ALIGN == 0;
    set_direct(b, aligned && b->can_direct);
    while (len > 0) {
        ssize_t n = write(b->fd, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            b->offset += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EINVAL && b->direct) {
            b->can_direct = FALSE; /* e.g. a file system without O_DIRECT */
            set_direct(b, FALSE);
        } else {
            write_stdio(b, p, len);
            return;
        }
    }
}

static gpointer run(gpointer data) {
    RepBlocks *b = data;
    g_mutex_lock(&b->lock);
    for (;;) {
        while (b->n_queued == 0 && !b->stop)
            g_cond_wait(&b->cond, &b->lock);
        if (b->n_queued == 0)
            break;
        Job j = b->queue[b->head];
        g_mutex_unlock(&b->lock);
        write_job(b, j.data, j.len);
        g_mutex_lock(&b->lock);
        b->head = (b->head + 1) % N_BUFS;
        b->n_queued--;
        b->free_bufs[b->n_free++] = j.data;
        g_cond_broadcast(&b->cond);
    }
    g_mutex_unlock(&b->lock);
    return NULL;
}

char *rep_blocks_buffer(RepBlocks *b) {
    g_mutex_lock(&b->lock);
    while (b->n_free == 0 && b->n_bufs == N_BUFS)
        g_cond_wait(&b->cond, &b->lock);
    char *buf;
    if (b->n_free > 0) {
        buf = b->free_bufs[--b->n_free];
    } else {
        void *p = NULL;
        if (posix_memalign(&p, HUGE, REP_BLOCKS_SIZE + REP_BLOCKS_SLACK) != 0)
            g_error("rep_blocks_buffer: failed to allocate %zu bytes",
                    (size_t)(REP_BLOCKS_SIZE + REP_BLOCKS_SLACK));
        /* Why: in huge pages the kernel pins a block for the disk in a few
         * steps instead of one per 4 KiB page (a hint; ignored where THP is
         * off) */
        madvise(p, REP_BLOCKS_SIZE, MADV_HUGEPAGE);
        buf = b->bufs[b->n_bufs++] = p;
    }
    g_mutex_unlock(&b->lock);
    return buf;
}

void rep_blocks_submit(RepBlocks *b, char *buf, size_t len) {
    b->written = TRUE;
    /* Why: a thread is worth it only for a trace of several blocks; a short
     * one (every test) is written here, at its end. */
    if (b->thread == NULL && !b->no_thread && len >= REP_BLOCKS_SIZE) {
        /* The thread blocks every signal: they reach the caller's thread,
         * as in a run without this one (cli-signals.c). */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        b->thread = g_thread_try_new("pagesim-trace", run, b, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        b->no_thread = b->thread == NULL;
    }
    g_mutex_lock(&b->lock);
    if (b->thread == NULL) {
        g_mutex_unlock(&b->lock);
        write_job(b, buf, len);
        g_mutex_lock(&b->lock);
        b->free_bufs[b->n_free++] = buf;
    } else {
        b->queue[(b->head + b->n_queued) % N_BUFS] = (Job){buf, len};
        b->n_queued++;
        g_cond_broadcast(&b->cond);
    }
    g_mutex_unlock(&b->lock);
}

gboolean rep_blocks_wait(RepBlocks *b) {
    /* Why: the stream may be closed by now if nothing was written since the
     * last wait (a writer freed after its result was committed). */
    if (!b->written && !b->stdio)
        return TRUE;
    b->written = FALSE;
    g_mutex_lock(&b->lock);
    while (b->n_queued > 0)
        g_cond_wait(&b->cond, &b->lock);
    g_mutex_unlock(&b->lock);
    if (b->stdio) {
        fflush(b->stream); /* sets the error indicator, if not yet */
        errno = b->err ? b->err : EIO;
        return FALSE;
    }
    set_direct(b, FALSE);
    /* stdio keeps its own idea of the position: tell it where the file is */
    return fseeko(b->stream, b->offset, SEEK_SET) == 0;
}

void rep_blocks_free(RepBlocks *b) {
    if (b == NULL)
        return;
    rep_blocks_wait(b);
    if (b->thread) {
        g_mutex_lock(&b->lock);
        b->stop = TRUE;
        g_cond_broadcast(&b->cond);
        g_mutex_unlock(&b->lock);
        g_thread_join(b->thread);
    }
    for (guint i = 0; i < b->n_bufs; i++)
        free(b->bufs[i]);
    g_mutex_clear(&b->lock);
    g_cond_clear(&b->cond);
    g_free(b);
}
