/* Native trace writer (see rep-trace.h).
 *
 * Invariants:
 *  1. len < REP_TRACE_BUF; the buffer is written out whenever a line ends past
 *     REP_TRACE_FLUSH_AT, and a line is far shorter than the slack left above it;
 *  2. lines counts rep_trace_end() calls.
 */
#include "sim/report/rep-trace.h"

#include <string.h>

#define REP_TRACE_BUF      (1 << 17)
#define REP_TRACE_FLUSH_AT (REP_TRACE_BUF - 4096)

struct _RepTrace {
    FILE *stream;            /* NULL when disabled */
    size_t len;              /* bytes in buf */
    uint64_t lines;          /* lines completed */
    gboolean failed;         /* a write to stream failed */
    char buf[REP_TRACE_BUF]; /* pending output */
};

RepTrace *rep_trace_new(FILE *stream) {
    RepTrace *tr = g_new(RepTrace, 1);
    tr->stream = stream;
    tr->len = 0;
    tr->lines = 0;
    tr->failed = FALSE;
    return tr;
}

gboolean rep_trace_flush(RepTrace *tr) {
    if (tr->stream && tr->len > 0 && fwrite(tr->buf, 1, tr->len, tr->stream) != tr->len)
        tr->failed = TRUE;
    tr->len = 0;
    return !tr->failed;
}

void rep_trace_free(RepTrace *tr) {
    if (tr == NULL)
        return;
    rep_trace_flush(tr);
    g_free(tr);
}

gboolean rep_trace_on(const RepTrace *tr) { return tr->stream != NULL; }

uint64_t rep_trace_lines(const RepTrace *tr) { return tr->lines; }

static inline void put(RepTrace *tr, const char *s, size_t n) {
    memcpy(tr->buf + tr->len, s, n);
    tr->len += n;
}

static inline void put_u64(RepTrace *tr, uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        tr->buf[tr->len++] = tmp[--n];
}

static inline void put_key(RepTrace *tr, const char *key) {
    tr->buf[tr->len++] = ',';
    tr->buf[tr->len++] = '"';
    put(tr, key, strlen(key));
    tr->buf[tr->len++] = '"';
    tr->buf[tr->len++] = ':';
}

void rep_trace_begin(RepTrace *tr, uint64_t t, const char *ev) {
    put(tr, "{\"t\":", 5);
    put_u64(tr, t);
    put(tr, ",\"ev\":\"", 7);
    put(tr, ev, strlen(ev));
    tr->buf[tr->len++] = '"';
}

void rep_trace_u64(RepTrace *tr, const char *key, uint64_t v) {
    put_key(tr, key);
    put_u64(tr, v);
}

void rep_trace_i64(RepTrace *tr, const char *key, int64_t v) {
    put_key(tr, key);
    if (v < 0) {
        tr->buf[tr->len++] = '-';
        put_u64(tr, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(tr, (uint64_t)v);
    }
}

/* Strings are scenario names and status names; they are short, but anything a
 * user typed is escaped and cut at 256 bytes so a line always fits the slack. */
void rep_trace_str(RepTrace *tr, const char *key, const char *v) {
    static const char hex[] = "0123456789abcdef";
    put_key(tr, key);
    tr->buf[tr->len++] = '"';
    for (size_t i = 0; v[i] && i < 256; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\') {
            tr->buf[tr->len++] = '\\';
            tr->buf[tr->len++] = (char)c;
        } else if (c < 0x20) {
            put(tr, "\\u00", 4);
            tr->buf[tr->len++] = hex[c >> 4];
            tr->buf[tr->len++] = hex[c & 15];
        } else {
            tr->buf[tr->len++] = (char)c;
        }
    }
    tr->buf[tr->len++] = '"';
}

void rep_trace_end(RepTrace *tr) {
    put(tr, "}\n", 2);
    tr->lines++;
    if (tr->len >= REP_TRACE_FLUSH_AT)
        rep_trace_flush(tr);
}
