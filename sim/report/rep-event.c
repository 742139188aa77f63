/* Native trace records (see rep-event.h): field look-up, and the reader of
 * events.jsonl files.
 *
 * Invariants:
 *  1. a record handed to a callback follows the schema (known event, only its
 *     own fields, each once and of its key's type, so n_fields <=
 *     REP_SCHEMA_MAX_FIELDS), and its strings live until the callback returns
 *     (the reader frees the parsed line only afterwards);
 *  2. the reader delivers lines in file order and checks that "t" never falls,
 *     so consumers may rely on simulated-time order.
 */
#include "sim/report/rep-event.h"
#include "sim/report/rep-gz.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* G_DEFINE_QUARK stringifies its first argument as written. */
/* clang-format off */
G_DEFINE_QUARK(rep-event-error-quark, rep_event_error)
/* clang-format on */

static const RepField *find(const RepEvent *e, RepKey key) {
    for (guint i = 0; i < e->n_fields; i++)
        if (e->fields[i].key == key)
            return &e->fields[i];
    return NULL;
}

const char *rep_event_get_str(const RepEvent *e, RepKey key) {
    const RepField *f = find(e, key);
    return f && f->type == REP_FIELD_STR ? f->s : NULL;
}

gboolean rep_event_get_u64(const RepEvent *e, RepKey key, uint64_t *out) {
    const RepField *f = find(e, key);
    if (f == NULL || f->type != REP_FIELD_U64)
        return FALSE;
    *out = f->u;
    return TRUE;
}

/* Checks one field of the parsed line against the schema and appends it to @e.
 * Returns NULL, or (transfer full) what is wrong. */
static char *fill_field(RepEvent *e, const char *key, json_t *v) {
    RepKey k;
    const RepSchemaEvent *sch = rep_schema_event(e->ev);
    if (!rep_key_from_name(key, strlen(key), &k) || rep_schema_field_index(e->ev, k) < 0)
        return g_strdup_printf("\"%s\" has no field \"%s\"", sch->name, key);
    RepField *f = &e->fields[e->n_fields++];
    f->key = k;
    f->type = rep_key_type(k);
    if (f->type == REP_FIELD_U64 && json_is_integer(v) && json_integer_value(v) >= 0) {
        f->u = (uint64_t)json_integer_value(v);
        return NULL;
    }
    if (f->type == REP_FIELD_STR && json_is_string(v)) {
        f->s = json_string_value(v);
        return NULL;
    }
    return g_strdup_printf("\"%s\".%s must be %s", sch->name, key,
                           f->type == REP_FIELD_U64 ? "an integer >= 0" : "a string");
}

/* Fills @e from the parsed object @o (borrowing its strings). Returns NULL, or
 * (transfer full) why the line is not a native trace line, with @code set. A
 * duplicate key is refused by the parser, so no field is filled twice. */
static char *fill(RepEvent *e, json_t *o, RepEventError *code) {
    *code = REP_EVENT_ERROR_SYNTAX;
    json_t *t = json_object_get(o, "t");
    json_t *ev = json_object_get(o, "ev");
    if (!json_is_integer(t) || json_integer_value(t) < 0 || !json_is_string(ev))
        return g_strdup("not a native trace line (an object with integer \"t\" and string "
                        "\"ev\")");
    e->t = (uint64_t)json_integer_value(t);
    *code = REP_EVENT_ERROR_SCHEMA;
    if (!rep_ev_from_name(json_string_value(ev), json_string_length(ev), &e->ev))
        return g_strdup_printf("unknown event \"%s\"", json_string_value(ev));
    e->n_fields = 0;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (strcmp(key, "t") == 0 || strcmp(key, "ev") == 0)
            continue;
        char *why = fill_field(e, key, v);
        if (why)
            return why;
    }
    return NULL;
}

/* Parses one line and hands it to @fn. Returns FALSE with @error for a bad line. */
static gboolean deliver(const char *line, size_t len, const char *name, guint64 lineno,
                        uint64_t *last_t, RepEventFn fn, gpointer data, GError **error) {
    json_error_t jerr;
    json_auto_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    RepEvent e;
    if (o == NULL || !json_is_object(o)) {
        g_set_error(error, REP_EVENT_ERROR, REP_EVENT_ERROR_SYNTAX, "%s:%" G_GUINT64_FORMAT ": %s",
                    name, lineno, o == NULL ? jerr.text : "not a JSON object");
        return FALSE;
    }
    RepEventError code;
    g_autofree char *why = fill(&e, o, &code);
    if (why) {
        g_set_error(error, REP_EVENT_ERROR, (gint)code, "%s:%" G_GUINT64_FORMAT ": %s", name,
                    lineno, why);
        return FALSE;
    }
    if (e.t < *last_t) {
        g_set_error(error, REP_EVENT_ERROR, REP_EVENT_ERROR_ORDER,
                    "%s:%" G_GUINT64_FORMAT ": t = %" G_GUINT64_FORMAT
                    " is earlier than the line before (%" G_GUINT64_FORMAT ")",
                    name, lineno, e.t, *last_t);
        return FALSE;
    }
    *last_t = e.t;
    fn(&e, data);
    return TRUE;
}

gboolean rep_event_read_stream(FILE *in, const char *name, RepEventFn fn, gpointer data,
                               GError **error) {
    g_return_val_if_fail(in != NULL && fn != NULL, FALSE);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    guint64 lineno = 0;
    uint64_t last_t = 0;
    gboolean ok = TRUE;
    while (ok && (n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n > 0)
            ok = deliver(line, (size_t)n, name, lineno, &last_t, fn, data, error);
    }
    if (ok && ferror(in)) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot read %s: %s", name,
                    g_strerror(saved));
        ok = FALSE;
    }
    free(line);
    return ok;
}

gboolean rep_event_read_file(const char *path, RepEventFn fn, gpointer data, GError **error) {
    /* A name ending in .gz is read through gzip (events.jsonl.gz). */
    FILE *in = g_str_has_suffix(path, ".gz") ? rep_gz_open_read(path) : fopen(path, "r");
    if (in == NULL) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot open %s: %s", path,
                    g_strerror(saved));
        return FALSE;
    }
    gboolean ok = rep_event_read_stream(in, path, fn, data, error);
    fclose(in);
    return ok;
}
