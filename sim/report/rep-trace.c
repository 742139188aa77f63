/* Native trace writer (see rep-trace.h).
 *
 * Invariants:
 *  1. len < REP_TRACE_BUF; the buffer is written out whenever a line ends past
 *     REP_TRACE_FLUSH_AT, and a line is far shorter than the slack left above it;
 *  2. lines counts the lines written to the stream;
 *  3. between rep_trace_begin() and rep_trace_end(), line_start is where the
 *     current line begins in buf, and rec holds the same line as a record; a
 *     line outside the window is formatted and then dropped (len rolls back to
 *     line_start), which keeps the formatting code free of branches.
 */
#include "sim/report/rep-trace.h"

#include <string.h>

#define REP_TRACE_BUF      (1 << 17)
#define REP_TRACE_FLUSH_AT (REP_TRACE_BUF - 4096)

struct _RepTrace {
    FILE *stream;            /* NULL: nothing is written */
    size_t len;              /* bytes in buf */
    size_t line_start;       /* where the current line starts in buf */
    uint64_t lines;          /* lines written to the stream */
    gboolean failed;         /* a write to stream failed */
    uint64_t win_start;      /* lines with t < win_start are not written */
    uint64_t win_end;        /* lines with t >= win_end are not written */
    RepEventFn tee;          /* nullable: receives every line as a record */
    gpointer tee_data;       /* for tee */
    RepEvent rec;            /* the current line as a record, for the tee */
    uint64_t max_bytes;      /* lines stop when they would pass this many bytes */
    uint64_t bytes;          /* bytes of the lines written to the stream */
    uint64_t truncated_at;   /* t of the first line left out for max_bytes; UINT64_MAX */
    char buf[REP_TRACE_BUF]; /* pending output */
};

RepTrace *rep_trace_new(FILE *stream) {
    RepTrace *tr = g_new(RepTrace, 1);
    tr->stream = stream;
    tr->len = 0;
    tr->line_start = 0;
    tr->lines = 0;
    tr->failed = FALSE;
    tr->win_start = 0;
    tr->win_end = UINT64_MAX;
    tr->tee = NULL;
    tr->tee_data = NULL;
    tr->rec.n_fields = 0;
    tr->max_bytes = UINT64_MAX;
    tr->bytes = 0;
    tr->truncated_at = UINT64_MAX;
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

gboolean rep_trace_on(const RepTrace *tr) { return tr->stream != NULL || tr->tee != NULL; }

void rep_trace_set_tee(RepTrace *tr, RepEventFn fn, gpointer data) {
    tr->tee = fn;
    tr->tee_data = data;
}

void rep_trace_set_window(RepTrace *tr, uint64_t start, uint64_t end) {
    tr->win_start = start;
    tr->win_end = end;
}

static inline RepField *add_field(RepTrace *tr, const char *key, RepFieldType type) {
    if (tr->tee == NULL || tr->rec.n_fields == REP_EVENT_MAX_FIELDS)
        return NULL;
    RepField *f = &tr->rec.fields[tr->rec.n_fields++];
    f->key = key;
    f->type = type;
    return f;
}

uint64_t rep_trace_lines(const RepTrace *tr) { return tr->lines; }

void rep_trace_set_max(RepTrace *tr, uint64_t max_bytes) { tr->max_bytes = max_bytes; }

uint64_t rep_trace_truncated_at(const RepTrace *tr) { return tr->truncated_at; }

static inline void put(RepTrace *tr, const char *s, size_t n) {
    memcpy(tr->buf + tr->len, s, n);
    tr->len += n;
}

/* Decimal digits two at a time: millions of numbers per second go through here. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

static inline void put_u64(RepTrace *tr, uint64_t v) {
    char tmp[20];
    int n = 20;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        tmp[--n] = digit_pairs[d + 1];
        tmp[--n] = digit_pairs[d];
    }
    if (v >= 10) {
        tmp[--n] = digit_pairs[v * 2 + 1];
        tmp[--n] = digit_pairs[v * 2];
    } else {
        tmp[--n] = (char)('0' + v);
    }
    memcpy(tr->buf + tr->len, tmp + n, (size_t)(20 - n));
    tr->len += (size_t)(20 - n);
}

static inline void put_key(RepTrace *tr, const char *key) {
    tr->buf[tr->len++] = ',';
    tr->buf[tr->len++] = '"';
    put(tr, key, strlen(key));
    tr->buf[tr->len++] = '"';
    tr->buf[tr->len++] = ':';
}

void rep_trace_begin(RepTrace *tr, uint64_t t, const char *ev) {
    tr->line_start = tr->len;
    tr->rec.t = t;
    tr->rec.ev = ev;
    tr->rec.n_fields = 0;
    if (tr->stream == NULL) /* records for the tee only: no text */
        return;
    put(tr, "{\"t\":", 5);
    put_u64(tr, t);
    put(tr, ",\"ev\":\"", 7);
    put(tr, ev, strlen(ev));
    tr->buf[tr->len++] = '"';
}

void rep_trace_u64(RepTrace *tr, const char *key, uint64_t v) {
    RepField *f = add_field(tr, key, REP_FIELD_U64);
    if (f)
        f->u = v;
    if (tr->stream == NULL)
        return;
    put_key(tr, key);
    put_u64(tr, v);
}

void rep_trace_i64(RepTrace *tr, const char *key, int64_t v) {
    RepField *f = add_field(tr, key, v < 0 ? REP_FIELD_I64 : REP_FIELD_U64);
    if (f && v < 0)
        f->i = v;
    else if (f)
        f->u = (uint64_t)v;
    if (tr->stream == NULL)
        return;
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
    RepField *f = add_field(tr, key, REP_FIELD_STR);
    if (f)
        f->s = v;
    if (tr->stream == NULL)
        return;
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
    if (tr->tee)
        tr->tee(&tr->rec, tr->tee_data);
    if (tr->stream == NULL || tr->rec.t < tr->win_start || tr->rec.t >= tr->win_end) {
        tr->len = tr->line_start;
        return;
    }
    put(tr, "}\n", 2);
    uint64_t n = tr->len - tr->line_start;
    if (tr->truncated_at != UINT64_MAX || tr->bytes + n > tr->max_bytes) {
        if (tr->truncated_at == UINT64_MAX)
            tr->truncated_at = tr->rec.t;
        tr->len = tr->line_start;
        return;
    }
    tr->bytes += n;
    tr->lines++;
    if (tr->len >= REP_TRACE_FLUSH_AT)
        rep_trace_flush(tr);
}
