/* Buffered, optionally gzip-compressed output (see rep-sink.h). zlib is used
 * directly rather than through GIO's GZlibCompressor: it is already linked by
 * glib, needs no GObject stream stack, and deflate on a plain buffer is all a
 * streaming writer needs.
 *
 * Invariants:
 *  1. len < REP_SINK_BUF between calls; the buffer is handed on whenever it fills;
 *  2. with gzip, zs is initialised for the gzip format (windowBits 15 + 16) from
 *     creation until free, and finished only by rep_sink_finish();
 *  3. failed, once set, stays set; later writes are dropped.
 */
#include "sim/report/rep-sink.h"

#include <string.h>
#include <zlib.h>

#define REP_SINK_BUF (1 << 16)

struct _RepSink {
    FILE *out;                        /* destination (borrowed) */
    gboolean gzip;                    /* compress */
    gboolean failed;                  /* a write or deflate call failed */
    gboolean finished;                /* rep_sink_finish() ran */
    guint64 bytes_in;                 /* bytes given to the sink */
    size_t len;                       /* bytes in buf */
    z_stream zs;                      /* deflate state when gzip */
    unsigned char buf[REP_SINK_BUF];  /* pending uncompressed bytes */
    unsigned char zbuf[REP_SINK_BUF]; /* deflate output */
};

RepSink *rep_sink_new(FILE *out, gboolean gzip) {
    RepSink *s = g_new0(RepSink, 1);
    s->out = out;
    s->gzip = gzip;
    if (gzip && deflateInit2(&s->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        s->gzip = FALSE;
        s->failed = TRUE;
    }
    return s;
}

void rep_sink_free(RepSink *s) {
    if (s == NULL)
        return;
    if (s->gzip)
        deflateEnd(&s->zs);
    g_free(s);
}

static void put_out(RepSink *s, const unsigned char *p, size_t n) {
    if (!s->failed && n > 0 && fwrite(p, 1, n, s->out) != n)
        s->failed = TRUE;
}

/* Compresses @n bytes at @p (flushing the stream with Z_FINISH when @finish). */
static void deflate_bytes(RepSink *s, const unsigned char *p, size_t n, gboolean finish) {
    s->zs.next_in = (Bytef *)p;
    s->zs.avail_in = (uInt)n;
    int ret;
    do {
        s->zs.next_out = s->zbuf;
        s->zs.avail_out = sizeof s->zbuf;
        ret = deflate(&s->zs, finish ? Z_FINISH : Z_NO_FLUSH);
        if (ret == Z_STREAM_ERROR || ret == Z_BUF_ERROR) {
            s->failed = TRUE;
            return;
        }
        put_out(s, s->zbuf, sizeof s->zbuf - s->zs.avail_out);
    } while (s->zs.avail_out == 0 || (finish && ret != Z_STREAM_END));
}

static void drain(RepSink *s, gboolean finish) {
    if (s->gzip)
        deflate_bytes(s, s->buf, s->len, finish);
    else
        put_out(s, s->buf, s->len);
    s->len = 0;
}

void rep_sink_write(RepSink *s, const void *buf, size_t n) {
    g_return_if_fail(!s->finished);
    const unsigned char *p = buf;
    s->bytes_in += n;
    while (n > 0) {
        size_t room = sizeof s->buf - s->len;
        size_t k = MIN(room, n);
        memcpy(s->buf + s->len, p, k);
        s->len += k;
        p += k;
        n -= k;
        if (s->len == sizeof s->buf)
            drain(s, FALSE);
    }
}

void rep_sink_puts(RepSink *s, const char *str) { rep_sink_write(s, str, strlen(str)); }

guint64 rep_sink_bytes_in(const RepSink *s) { return s->bytes_in; }

gboolean rep_sink_finish(RepSink *s, GError **error) {
    g_return_val_if_fail(!s->finished, FALSE);
    drain(s, TRUE);
    s->finished = TRUE;
    if (fflush(s->out) != 0 || ferror(s->out))
        s->failed = TRUE;
    if (s->failed)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "write failed%s",
                    s->gzip ? " (gzip)" : "");
    return !s->failed;
}
