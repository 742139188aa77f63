/* The streaming reader of access traces (format in scn-trace.h).
 *
 * zlib's gz functions read plain and gzip files alike. One line is held at a
 * time in a buffer that grows to the longest line; the thread and VMO name
 * tables are the only other state, so memory does not depend on the number of
 * records.
 */
#include "sim/scenario/scn-trace.h"

#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-units.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <zlib.h>

enum { COL_T, COL_GAP, COL_THREAD, COL_VMO, COL_OFFSET, COL_LEN, COL_KIND, COL_DUR, COL_COUNT };
static const char *const col_names[] = {"t",   "gap",  "thread", "vmo", "offset",
                                        "len", "kind", "dur",    NULL};
#define CSV_MAX_COLS 16

/* The text (or JSON integer) of each field of one record; NULL text and no
 * number when the record lacks it. */
typedef struct {
    const char *text[COL_COUNT];
    gboolean is_num[COL_COUNT];
    uint64_t num[COL_COUNT];
} Fields;

struct _ScnTraceReader {
    char *path;               /* for messages */
    gzFile gz;                /* the open file */
    char *buf;                /* the current line */
    gsize cap;                /* bytes allocated at @buf */
    uint64_t line;            /* number of the current line */
    gboolean started;         /* the format is known */
    gboolean json;            /* JSON lines, else CSV */
    int col_of[CSV_MAX_COLS]; /* CSV: field of each column, or -1 */
    guint n_cols;             /* CSV: columns in the header */
    GHashTable *vmos;         /* name -> index + 1 (borrowed keys) */
    GHashTable *threads;      /* name -> index + 1 (keys owned by @names) */
    GPtrArray *names;         /* thread names in index order */
    gboolean fixed;           /* only the given thread names are allowed */
    uint64_t last_t;          /* the previous record's start, for "gap" */
};

G_GNUC_PRINTF(3, 4)
static int fail(ScnTraceReader *rd, GError **error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, SCN_ERROR, SCN_ERROR_VALUE, "%s:%" PRIu64 ": %s", rd->path, rd->line, msg);
    return -1;
}

ScnTraceReader *scn_trace_reader_open(const char *path, const char *const *vmo_names,
                                      const char *const *threads, GError **error) {
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL) {
        int e = errno;
        g_set_error(error, SCN_ERROR, SCN_ERROR_IO, "%s: cannot open trace: %s", path,
                    e ? g_strerror(e) : "out of memory");
        return NULL;
    }
    gzbuffer(gz, 256 * 1024);
    ScnTraceReader *rd = g_new0(ScnTraceReader, 1);
    rd->path = g_strdup(path);
    rd->gz = gz;
    rd->cap = 256;
    rd->buf = g_malloc(rd->cap);
    rd->vmos = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; vmo_names[i] != NULL; i++)
        g_hash_table_insert(rd->vmos, (gpointer)vmo_names[i], GUINT_TO_POINTER(i + 1));
    rd->threads = g_hash_table_new(g_str_hash, g_str_equal);
    rd->names = g_ptr_array_new_with_free_func(g_free);
    rd->fixed = threads != NULL;
    for (guint i = 0; threads != NULL && threads[i] != NULL; i++) {
        g_ptr_array_add(rd->names, g_strdup(threads[i]));
        g_hash_table_insert(rd->threads, rd->names->pdata[i], GUINT_TO_POINTER(i + 1));
    }
    return rd;
}

void scn_trace_reader_free(ScnTraceReader *rd) {
    if (rd == NULL)
        return;
    gzclose(rd->gz);
    g_hash_table_destroy(rd->vmos);
    g_hash_table_destroy(rd->threads);
    g_ptr_array_free(rd->names, TRUE);
    g_free(rd->buf);
    g_free(rd->path);
    g_free(rd);
}

const char *scn_trace_reader_path(const ScnTraceReader *rd) { return rd->path; }

const char *scn_trace_reader_thread_name(const ScnTraceReader *rd, guint index) {
    g_return_val_if_fail(index < rd->names->len, NULL);
    return rd->names->pdata[index];
}

char **scn_trace_reader_thread_names(ScnTraceReader *rd) {
    char **out = g_new0(char *, rd->names->len + 1);
    for (guint i = 0; i < rd->names->len; i++)
        out[i] = g_strdup(rd->names->pdata[i]);
    return out;
}

/* Reads one line into rd->buf without its end of line. Returns 1, 0 at the end
 * of the file, -1 on a read error. */
static int read_line(ScnTraceReader *rd, GError **error) {
    gsize len = 0;
    rd->line++;
    for (;;) {
        if (gzgets(rd->gz, rd->buf + len, (int)MIN(rd->cap - len, (gsize)G_MAXINT)) == NULL) {
            int errnum = Z_OK;
            const char *msg = gzerror(rd->gz, &errnum);
            if (errnum == Z_BUF_ERROR)
                return fail(rd, error, "the gzip data ends early (a truncated file)");
            if (errnum != Z_OK)
                return fail(rd, error, "cannot read trace: %s",
                            errnum == Z_ERRNO ? g_strerror(errno) : msg);
            if (len == 0)
                return 0;
            break;
        }
        len += strlen(rd->buf + len);
        if (len > 0 && rd->buf[len - 1] == '\n')
            break;
        if (len + 1 < rd->cap)
            continue; /* a last line without a newline: the next gzgets ends it */
        rd->cap *= 2;
        rd->buf = g_realloc(rd->buf, rd->cap);
    }
    while (len > 0 && (rd->buf[len - 1] == '\n' || rd->buf[len - 1] == '\r'))
        rd->buf[--len] = '\0';
    return 1;
}

static gboolean skippable(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

static int col_index(const char *name) {
    for (int c = 0; col_names[c] != NULL; c++)
        if (strcmp(col_names[c], name) == 0)
            return c;
    return -1;
}

/* Reads the CSV header in rd->buf. */
static int parse_header(ScnTraceReader *rd, GError **error) {
    gboolean seen[COL_COUNT] = {FALSE};
    char *save = NULL;
    rd->n_cols = 0;
    for (char *tok = strtok_r(rd->buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        char *name = trim(tok);
        int c = col_index(name);
        if (c < 0)
            return fail(rd, error,
                        "unknown column \"%s\" (columns: t or gap, thread, vmo, "
                        "offset, len, kind, dur)",
                        name);
        if (seen[c])
            return fail(rd, error, "column \"%s\" appears twice", name);
        if (rd->n_cols == CSV_MAX_COLS)
            return fail(rd, error, "more than %d columns", CSV_MAX_COLS);
        seen[c] = TRUE;
        rd->col_of[rd->n_cols++] = c;
    }
    if (seen[COL_T] == seen[COL_GAP])
        return fail(rd, error, "the header needs exactly one of the columns \"t\" and \"gap\"");
    for (int c = COL_THREAD; c <= COL_OFFSET; c++)
        if (!seen[c])
            return fail(rd, error, "the header lacks the column \"%s\"", col_names[c]);
    return 1;
}

/* Splits the CSV record in rd->buf into @f. */
static int split_csv(ScnTraceReader *rd, Fields *f, GError **error) {
    char *p = rd->buf;
    guint n = 0;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (n == rd->n_cols)
            return fail(rd, error, "more fields than the header's %u columns", rd->n_cols);
        f->text[rd->col_of[n++]] = trim(p);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (n != rd->n_cols)
        return fail(rd, error, "%u fields where the header has %u columns", n, rd->n_cols);
    return 1;
}

/* Splits the JSON object in rd->buf into @f; @root receives the parsed document,
 * which the texts in @f point into. */
static int split_json(ScnTraceReader *rd, Fields *f, json_t **root, GError **error) {
    json_error_t jerr;
    const char *key;
    json_t *v;
    *root = json_loads(rd->buf, JSON_REJECT_DUPLICATES, &jerr);
    if (*root == NULL)
        return fail(rd, error, "not a JSON object: %s (column %d)", jerr.text, jerr.column);
    if (!json_is_object(*root))
        return fail(rd, error, "expected a JSON object, got %s", scn__type_name(*root));
    json_object_foreach(*root, key, v) {
        int c = col_index(key);
        if (c < 0)
            return fail(rd, error,
                        "unknown key \"%s\" (keys: t or gap, thread, vmo, offset, len, "
                        "kind, dur)",
                        key);
        if (json_is_integer(v) && json_integer_value(v) >= 0) {
            f->is_num[c] = TRUE;
            f->num[c] = (uint64_t)json_integer_value(v);
            f->text[c] = "";
        } else if (json_is_string(v)) {
            f->text[c] = json_string_value(v);
        } else {
            return fail(rd, error, "\"%s\": expected a string or a non-negative integer, got %s",
                        key, scn__type_name(v));
        }
    }
    return 1;
}

/* Field @c as a number: an integer, or a string with a unit (a duration for
 * times, a size for offsets and lengths; "0x" hexadecimal also for those). */
static int field_u64(ScnTraceReader *rd, const Fields *f, int c, uint64_t *out, GError **error) {
    const char *s = f->text[c];
    g_autoptr(GError) err = NULL;
    if (f->is_num[c]) {
        *out = f->num[c];
        return 1;
    }
    if (g_ascii_isdigit(s[0]) && g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, out, NULL))
        return 1;
    gboolean is_time = c == COL_T || c == COL_GAP || c == COL_DUR;
    if (!is_time && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        g_ascii_string_to_unsigned(s + 2, 16, 0, G_MAXUINT64, out, NULL))
        return 1;
    if (is_time ? scn_parse_duration(s, out, &err) : scn_parse_size(s, out, &err))
        return 1;
    return fail(rd, error, "%s \"%s\": %s", col_names[c], s, err->message);
}

/* The thread named in @f, added to the table when any name is allowed. */
static int field_thread(ScnTraceReader *rd, const Fields *f, guint *out, GError **error) {
    const char *name = f->is_num[COL_THREAD] ? NULL : f->text[COL_THREAD];
    if (name == NULL || !scn__is_valid_name(name))
        return fail(rd, error,
                    "thread \"%s\": a name is 1 to 64 of A-Z a-z 0-9 _ . - and does "
                    "not start with '.'",
                    name ? name : "(a number)");
    gpointer v = g_hash_table_lookup(rd->threads, name);
    if (v == NULL && rd->fixed)
        return fail(rd, error, "unknown thread \"%s\" (not in the workload's \"threads\")", name);
    if (v == NULL) {
        g_ptr_array_add(rd->names, g_strdup(name));
        v = GUINT_TO_POINTER(rd->names->len);
        g_hash_table_insert(rd->threads, rd->names->pdata[rd->names->len - 1], v);
    }
    *out = GPOINTER_TO_UINT(v) - 1;
    return 1;
}

static int field_kind(ScnTraceReader *rd, const Fields *f, ScnAccessKind *out, GError **error) {
    const char *s = f->text[COL_KIND];
    if (s == NULL) {
        *out = SCN_ACCESS_FAULT;
        return 1;
    }
    for (int k = 0; scn__access_names[k] != NULL; k++)
        if (strcmp(scn__access_names[k], s) == 0) {
            *out = (ScnAccessKind)k;
            return 1;
        }
    return fail(rd, error, "unknown kind \"%s\" (expected fault, read or commit)", s);
}

/* Turns @f into @out. */
static int build(ScnTraceReader *rd, const Fields *f, ScnTraceRecord *out, GError **error) {
    uint64_t when = 0, len = SCN_PAGE_SIZE, offset = 0;
    int tcol = f->text[COL_T] != NULL ? COL_T : COL_GAP;
    if (f->text[COL_T] != NULL && f->text[COL_GAP] != NULL)
        return fail(rd, error, "a record has \"t\" or \"gap\", not both");
    for (int c = COL_GAP; c <= COL_OFFSET; c++)
        if (f->text[c] == NULL && c != COL_GAP)
            return fail(rd, error, "the record lacks \"%s\"", col_names[c]);
    if (f->text[tcol] == NULL)
        return fail(rd, error, "the record lacks \"t\" or \"gap\"");
    if (field_u64(rd, f, tcol, &when, error) < 0 ||
        field_u64(rd, f, COL_OFFSET, &offset, error) < 0)
        return -1;
    if (f->text[COL_LEN] != NULL && field_u64(rd, f, COL_LEN, &len, error) < 0)
        return -1;
    out->dur_ns = 0;
    if (f->text[COL_DUR] != NULL && field_u64(rd, f, COL_DUR, &out->dur_ns, error) < 0)
        return -1;
    if (tcol == COL_GAP && when > G_MAXUINT64 / 2 - rd->last_t)
        return fail(rd, error, "the time overflows");
    out->t_ns = tcol == COL_GAP ? rd->last_t + when : when;
    if (len == 0 || offset > G_MAXUINT64 / 2 || len > G_MAXUINT64 / 2)
        return fail(rd, error, "len must be at least 1 byte, and offset and len below 2^63");
    gpointer vmo = f->text[COL_VMO] && !f->is_num[COL_VMO]
                       ? g_hash_table_lookup(rd->vmos, f->text[COL_VMO])
                       : NULL;
    if (vmo == NULL)
        return fail(rd, error, "unknown VMO \"%s\"",
                    f->is_num[COL_VMO] ? "(a number)" : f->text[COL_VMO]);
    out->vmo = GPOINTER_TO_UINT(vmo) - 1;
    out->offset = offset / SCN_PAGE_SIZE * SCN_PAGE_SIZE;
    out->pages = (offset + len - out->offset + SCN_PAGE_SIZE - 1) / SCN_PAGE_SIZE;
    out->line = rd->line;
    rd->last_t = out->t_ns;
    if (field_kind(rd, f, &out->kind, error) < 0)
        return -1;
    return field_thread(rd, f, &out->thread, error);
}

int scn_trace_reader_next(ScnTraceReader *rd, ScnTraceRecord *out, GError **error) {
    int r;
    while ((r = read_line(rd, error)) == 1) {
        if (skippable(rd->buf))
            continue;
        if (!rd->started) {
            const char *s = rd->buf;
            while (*s == ' ' || *s == '\t')
                s++;
            rd->started = TRUE;
            rd->json = *s == '{';
            if (!rd->json) {
                if (parse_header(rd, error) < 0)
                    return -1;
                continue;
            }
        }
        Fields f = {0};
        json_t *root = NULL;
        r = rd->json ? split_json(rd, &f, &root, error) : split_csv(rd, &f, error);
        if (r == 1)
            r = build(rd, &f, out, error);
        json_decref(root);
        return r;
    }
    return r;
}
