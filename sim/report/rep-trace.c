/* Native trace writer (see rep-trace.h).
 *
 * Invariants:
 *  1. len < REP_BLOCKS_SIZE + REP_BLOCKS_SLACK; whenever a line ends past
 *     REP_BLOCKS_SIZE the buffer's first REP_BLOCKS_SIZE bytes are handed on
 *     (to blocks, or written to the stream when there is none), and a line is
 *     far shorter than the slack;
 *  2. lines counts the lines written to the stream;
 *  3. between rep_trace_begin() and rep_trace_end(), line_start is where the
 *     current line begins in buf, and rec holds the same line as a record (its
 *     fields only while a tee is set); a
 *     line outside the window is formatted and then dropped (len rolls back to
 *     line_start), which keeps the formatting code free of branches.
 */
#include "sim/report/rep-trace.h"

#include <string.h>

#include "sim/report/rep-blocks.h"

/* The text before a value: ,"key": and, for a string, the opening quote. Copied
 * 16 bytes at a time (the buffer's slack absorbs the excess). */
typedef struct {
    char text[16];
    size_t len;
} KeyText;

#define OPEN_STR "\""
#define OPEN_U64 ""
#define KEY_TEXT(e, n, t)                                                                          \
    [REP_KEY_##e] = {",\"" #n "\":" OPEN_##t, sizeof(",\"" #n "\":" OPEN_##t) - 1},
static const KeyText key_text[REP_KEY_COUNT] = {REP_KEYS(KEY_TEXT)};
#undef KEY_TEXT

/* ,"ev":"name" for every event, built once per writer. */
typedef struct {
    char text[32];
    size_t len;
} EvText;

struct _RepTrace {
    RepTraceHot hot;              /* first: the inline adders of rep-trace.h read it */
    FILE *stream;                 /* NULL: nothing is written */
    RepBlocks *blocks;            /* writes stream's file; NULL: stdio writes it */
    char *buf;                    /* pending output; NULL without a stream */
    size_t len;                   /* bytes in buf */
    size_t line_start;            /* where the current line starts in buf */
    uint64_t lines;               /* lines written to the stream */
    gboolean failed;              /* a write to stream failed */
    uint64_t win_start;           /* lines with t < win_start are not written */
    uint64_t win_end;             /* lines with t >= win_end are not written */
    uint64_t max_bytes;           /* lines stop when they would pass this many bytes */
    uint64_t bytes;               /* bytes of the lines written to the stream */
    uint64_t truncated_at;        /* t of the first line left out for max_bytes; UINT64_MAX */
    guint next;                   /* REP_TRACE_CHECK: schema index of the next field */
    EvText ev_text[REP_EV_COUNT]; /* precomputed ,"ev":"name" */
    gboolean t_cached;            /* t_text holds the start of a line at t_last */
    uint64_t t_last;              /* the time of the last line begun */
    size_t t_len;                 /* bytes of t_text in use */
    char t_text[32];              /* {"t":<t_last> */
};

RepTrace *rep_trace_new(FILE *stream) {
    RepTrace *tr = g_new(RepTrace, 1);
    tr->stream = stream;
    tr->blocks = rep_blocks_new(stream);
    tr->buf = tr->blocks ? rep_blocks_buffer(tr->blocks)
              : stream   ? g_malloc(REP_BLOCKS_SIZE + REP_BLOCKS_SLACK)
                         : NULL;
    tr->len = 0;
    tr->line_start = 0;
    tr->lines = 0;
    tr->failed = FALSE;
    tr->win_start = 0;
    tr->win_end = UINT64_MAX;
    tr->hot.records_only = FALSE;
    tr->t_cached = FALSE;
    tr->hot.check = rep_trace_checks_schema();
    tr->hot.tee = NULL;
    tr->hot.tee_data = NULL;
    tr->hot.rec.n_fields = 0;
    tr->max_bytes = UINT64_MAX;
    tr->bytes = 0;
    tr->truncated_at = UINT64_MAX;
    tr->next = 0;
    for (guint ev = 0; ev < REP_EV_COUNT; ev++) {
        int n = g_snprintf(tr->ev_text[ev].text, sizeof tr->ev_text[ev].text, ",\"ev\":\"%s\"",
                           rep_schema_event((RepEv)ev)->name);
        g_assert(n > 0 && (size_t)n < sizeof tr->ev_text[ev].text);
        tr->ev_text[ev].len = (size_t)n;
    }
    return tr;
}

/* Hands on the first @n bytes of the buffer, keeping the rest. */
static void hand_on(RepTrace *tr, size_t n) {
    if (tr->blocks == NULL) {
        if (n > 0 && fwrite(tr->buf, 1, n, tr->stream) != n)
            tr->failed = TRUE;
        memmove(tr->buf, tr->buf + n, tr->len - n);
    } else if (n > 0) {
        char *next = rep_blocks_buffer(tr->blocks);
        memcpy(next, tr->buf + n, tr->len - n);
        rep_blocks_submit(tr->blocks, tr->buf, n);
        tr->buf = next;
    }
    tr->len -= n;
}

gboolean rep_trace_flush(RepTrace *tr) {
    if (tr->stream == NULL)
        return !tr->failed;
    hand_on(tr, tr->len);
    if (tr->blocks && !rep_blocks_wait(tr->blocks))
        tr->failed = TRUE;
    return !tr->failed;
}

void rep_trace_free(RepTrace *tr) {
    if (tr == NULL)
        return;
    rep_trace_flush(tr);
    if (tr->blocks)
        rep_blocks_free(tr->blocks); /* and its buffers, buf among them */
    else
        g_free(tr->buf);
    g_free(tr);
}

gboolean rep_trace_on(const RepTrace *tr) { return tr->stream != NULL || tr->hot.tee != NULL; }

void rep_trace_set_tee(RepTrace *tr, RepEventFn fn, gpointer data) {
    tr->hot.tee = fn;
    tr->hot.tee_data = data;
    tr->hot.records_only = tr->stream == NULL && fn != NULL;
}

void rep_trace_set_window(RepTrace *tr, uint64_t start, uint64_t end) {
    tr->win_start = start;
    tr->win_end = end;
}

uint64_t rep_trace_lines(const RepTrace *tr) { return tr->lines; }

void rep_trace_set_max(RepTrace *tr, uint64_t max_bytes) { tr->max_bytes = max_bytes; }

uint64_t rep_trace_truncated_at(const RepTrace *tr) { return tr->truncated_at; }

gboolean rep_trace_checks_schema(void) {
#ifdef REP_TRACE_CHECK
    return TRUE;
#else
    return FALSE;
#endif
}

#ifdef REP_TRACE_CHECK
/* Whether @key may come next on the current line: skips the optional fields
 * left out before it. */
static gboolean schema_allows(RepTrace *tr, RepKey key) {
    const RepSchemaEvent *e = rep_schema_event(tr->hot.rec.ev);
    while (tr->next < e->n_fields && e->fields[tr->next].key != key) {
        if (!e->fields[tr->next].optional)
            return FALSE;
        tr->next++;
    }
    if (tr->next == e->n_fields)
        return FALSE;
    tr->next++;
    return TRUE;
}

/* Whether every field left out at the end of the line is optional. */
static gboolean schema_complete(const RepTrace *tr) {
    const RepSchemaEvent *e = rep_schema_event(tr->hot.rec.ev);
    for (guint i = tr->next; i < e->n_fields; i++)
        if (!e->fields[i].optional)
            return FALSE;
    return TRUE;
}
#define CHECK_FIELD(tr, key, type)                                                                 \
    g_assert(rep_key_type(key) == (type) && schema_allows((tr), (key)))
#define CHECK_END(tr) g_assert(schema_complete(tr))
#else
#define CHECK_FIELD(tr, key, type) ((void)0)
#define CHECK_END(tr)              ((void)0)
#endif

/* The schema checks of the inline record path (rep-trace.h), called only
 * when hot.check is set. */
void rep_trace__check_begin(RepTrace *tr) { tr->next = 0; }
void rep_trace__check_field(RepTrace *tr, RepKey key, RepFieldType type) {
    CHECK_FIELD(tr, key, type);
    (void)tr, (void)key, (void)type;
}
void rep_trace__check_end(RepTrace *tr) {
    CHECK_END(tr);
    (void)tr;
}

static inline RepField *add_field(RepTrace *tr, RepKey key, RepFieldType type) {
    if (tr->hot.tee == NULL)
        return NULL;
    RepField *f = &tr->hot.rec.fields[tr->hot.rec.n_fields++];
    f->key = key;
    f->type = type;
    return f;
}

static inline void put(RepTrace *tr, const char *s, size_t n) {
    memcpy(tr->buf + tr->len, s, n);
    tr->len += n;
}

/* Decimal digits two at a time: millions of numbers per second go through here. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

static const uint64_t pow10[20] = {1ULL,
                                   10ULL,
                                   100ULL,
                                   1000ULL,
                                   10000ULL,
                                   100000ULL,
                                   1000000ULL,
                                   10000000ULL,
                                   100000000ULL,
                                   1000000000ULL,
                                   10000000000ULL,
                                   100000000000ULL,
                                   1000000000000ULL,
                                   10000000000000ULL,
                                   100000000000000ULL,
                                   1000000000000000ULL,
                                   10000000000000000ULL,
                                   100000000000000000ULL,
                                   1000000000000000000ULL,
                                   10000000000000000000ULL};

/* The number of decimal digits of @v: log10 from the bit length (1233/4096 is
 * just above log10(2)), corrected by one table look-up. */
static inline size_t n_digits(uint64_t v) {
    size_t t = ((size_t)(64 - __builtin_clzll(v | 1)) * 1233) >> 12;
    return t + 1 - (v < pow10[t]) + (v == 0);
}

static inline void put2(char *p, uint32_t v) { memcpy(p, digit_pairs + 2 * v, 2); }

/* The 8 digits of @v < 10^8 at @p, leading zeros included: the four pairs
 * come from independent 32-bit divisions, not one long chain. */
static inline void put8(char *p, uint32_t v) {
    uint32_t hi = v / 10000, lo = v % 10000;
    put2(p, hi / 100);
    put2(p + 2, hi % 100);
    put2(p + 4, lo / 100);
    put2(p + 6, lo % 100);
}

/* Writes @v at @out, from its last digits backwards; returns its length. */
static inline size_t format_u64(char *out, uint64_t v) {
    size_t n = n_digits(v);
    char *p = out + n;
    while (v >= 100000000) {
        p -= 8;
        put8(p, (uint32_t)(v % 100000000));
        v /= 100000000;
    }
    uint32_t w = (uint32_t)v;
    while (w >= 100) {
        p -= 2;
        put2(p, w % 100);
        w /= 100;
    }
    if (w >= 10)
        put2(p - 2, w);
    else
        p[-1] = (char)('0' + w);
    return n;
}

static inline void put_u64(RepTrace *tr, uint64_t v) {
    tr->len += format_u64(tr->buf + tr->len, v);
}

static inline void put_key(RepTrace *tr, RepKey key) {
    memcpy(tr->buf + tr->len, key_text[key].text, sizeof key_text[key].text);
    tr->len += key_text[key].len;
}

void rep_trace__begin(RepTrace *tr, uint64_t t, RepEv ev) {
    tr->line_start = tr->len;
    tr->hot.rec.t = t;
    tr->hot.rec.ev = ev;
    tr->hot.rec.n_fields = 0;
    tr->next = 0;
    if (tr->stream == NULL) /* records for the tee only: no text */
        return;
    /* Why: the buffer is too large to stay in the cache; ask for the memory
     * this line and the next will be written to before the stores stall. */
    __builtin_prefetch(tr->buf + tr->len + 256, 1);
    __builtin_prefetch(tr->buf + tr->len + 320, 1);
    /* Why: most lines share their time with the line before (an event and
     * what it causes), so its text is kept. */
    if (!tr->t_cached || t != tr->t_last) {
        memcpy(tr->t_text, "{\"t\":", 5);
        tr->t_len = 5 + format_u64(tr->t_text + 5, t);
        tr->t_last = t;
        tr->t_cached = TRUE;
    }
    memcpy(tr->buf + tr->len, tr->t_text, sizeof tr->t_text);
    tr->len += tr->t_len;
    memcpy(tr->buf + tr->len, tr->ev_text[ev].text, sizeof tr->ev_text[ev].text);
    tr->len += tr->ev_text[ev].len;
}

void rep_trace__u64(RepTrace *tr, RepKey key, uint64_t v) {
    CHECK_FIELD(tr, key, REP_FIELD_U64);
    RepField *f = add_field(tr, key, REP_FIELD_U64);
    if (f)
        f->u = v;
    if (tr->stream == NULL)
        return;
    put_key(tr, key);
    put_u64(tr, v);
}

/* Bytes a JSON string cannot hold as they are (and the terminating NUL). */
static const uint8_t special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1,
};

/* Strings are scenario names and status names; they are short, but anything a
 * user typed is escaped and cut at 256 bytes so a line always fits the slack. */
void rep_trace__str(RepTrace *tr, RepKey key, const char *v) {
    static const char hex[] = "0123456789abcdef";
    CHECK_FIELD(tr, key, REP_FIELD_STR);
    RepField *f = add_field(tr, key, REP_FIELD_STR);
    if (f)
        f->s = v;
    if (tr->stream == NULL)
        return;
    put_key(tr, key); /* with the opening quote */
    char *p = tr->buf + tr->len;
    const unsigned char *s = (const unsigned char *)v;
    size_t i = 0;
    for (;;) {
        /* Plain bytes four at a time (a NUL is special, so nothing past the
         * string is read), then one at a time up to the next special one. */
        while (i <= 252 && !special[s[i]] && !special[s[i + 1]] && !special[s[i + 2]] &&
               !special[s[i + 3]]) {
            memcpy(p, s + i, 4);
            p += 4;
            i += 4;
        }
        while (i < 256 && !special[s[i]])
            *p++ = (char)s[i++];
        if (i >= 256 || s[i] == 0)
            break;
        unsigned char c = s[i++];
        if (c >= 0x20) {
            *p++ = '\\';
            *p++ = (char)c;
        } else {
            memcpy(p, "\\u00", 4);
            p[4] = hex[c >> 4];
            p[5] = hex[c & 15];
            p += 6;
        }
    }
    *p++ = '"';
    tr->len = (size_t)(p - tr->buf);
}

void rep_trace__end(RepTrace *tr) {
    CHECK_END(tr);
    if (tr->hot.tee)
        tr->hot.tee(&tr->hot.rec, tr->hot.tee_data);
    if (tr->stream == NULL || tr->hot.rec.t < tr->win_start || tr->hot.rec.t >= tr->win_end) {
        tr->len = tr->line_start;
        return;
    }
    put(tr, "}\n", 2);
    uint64_t n = tr->len - tr->line_start;
    if (tr->truncated_at != UINT64_MAX || tr->bytes + n > tr->max_bytes) {
        if (tr->truncated_at == UINT64_MAX)
            tr->truncated_at = tr->hot.rec.t;
        tr->len = tr->line_start;
        return;
    }
    tr->bytes += n;
    tr->lines++;
    if (tr->len >= REP_BLOCKS_SIZE)
        hand_on(tr, REP_BLOCKS_SIZE);
}
