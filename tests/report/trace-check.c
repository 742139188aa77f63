/* Chrome trace event checker for the tests (see trace-check.h). */
#include "trace-check.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    double ts;   /* µs */
    guint index; /* in the file, for stable sorting and messages */
    json_t *ev;  /* borrowed */
} TEv;

typedef struct {
    double begin; /* µs */
    double end;   /* INFINITY for B, ts + dur for X */
} Open;

json_t *trace_check_load(const char *path, GError **error) {
    g_autoptr(GByteArray) bytes = g_byte_array_new();
    gzFile f = gzopen(path, "rb"); /* reads plain files as they are */
    if (f == NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "cannot open %s", path);
        return NULL;
    }
    guint8 buf[65536];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        g_byte_array_append(bytes, buf, (guint)n);
    gzclose(f);
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)bytes->data, bytes->len, 0, &jerr);
    if (doc == NULL)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d:%d: %s", path, jerr.line,
                    jerr.column, jerr.text);
    return doc;
}

static const char *ph_of(json_t *ev) {
    const char *ph = json_string_value(json_object_get(ev, "ph"));
    return ph ? ph : "";
}

static gboolean on_thread_track(json_t *ev) {
    char ph = ph_of(ev)[0];
    if (ph == 'i' || ph == 'I') {
        const char *s = json_string_value(json_object_get(ev, "s"));
        return s == NULL || strcmp(s, "t") == 0;
    }
    return strchr("BEXstf", ph) != NULL;
}

static char *track_key(json_t *ev) {
    return g_strdup_printf("%" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT,
                           json_integer_value(json_object_get(ev, "pid")),
                           json_integer_value(json_object_get(ev, "tid")));
}

/* Checks the fields every event needs. Returns a message or NULL. */
static char *check_fields(json_t *ev, guint i) {
    const char *ph = ph_of(ev);
    if (strlen(ph) != 1 || strchr("BEXiIbestfCM", ph[0]) == NULL)
        return g_strdup_printf("event %u: bad or missing \"ph\"", i);
    if (!json_is_string(json_object_get(ev, "name")))
        return g_strdup_printf("event %u: no string \"name\"", i);
    if (!json_is_integer(json_object_get(ev, "pid")))
        return g_strdup_printf("event %u: no integer \"pid\"", i);
    json_t *ts = json_object_get(ev, "ts");
    if (ph[0] != 'M' && (!json_is_number(ts) || json_number_value(ts) < 0))
        return g_strdup_printf("event %u: no \"ts\" >= 0", i);
    if (on_thread_track(ev) && !json_is_integer(json_object_get(ev, "tid")))
        return g_strdup_printf("event %u (%s): no integer \"tid\"", i, ph);
    if (ph[0] == 'X' && !json_is_number(json_object_get(ev, "dur")))
        return g_strdup_printf("event %u: X without \"dur\"", i);
    if (strchr("stf", ph[0]) && json_object_get(ev, "id") == NULL)
        return g_strdup_printf("event %u: flow event without \"id\"", i);
    return NULL;
}

static char *check_counter(json_t *ev, guint i) {
    json_t *args = json_object_get(ev, "args");
    const char *key;
    json_t *v;
    if (!json_is_object(args) || json_object_size(args) == 0)
        return g_strdup_printf("event %u: counter without args", i);
    json_object_foreach(args, key, v) {
        if (!json_is_number(v))
            return g_strdup_printf("event %u: counter arg \"%s\" is not a number", i, key);
    }
    return NULL;
}

static int cmp_tev(const void *a, const void *b) {
    const TEv *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Pops X slices that ended before @ts (or at @ts, unless @strict). */
static void expire(GArray *stack, double ts, gboolean strict) {
    while (stack->len && isfinite(g_array_index(stack, Open, stack->len - 1).end) &&
           (g_array_index(stack, Open, stack->len - 1).end < ts ||
            (!strict && g_array_index(stack, Open, stack->len - 1).end == ts)))
        g_array_set_size(stack, stack->len - 1);
}

/* One event of a track, in sorted order. Returns a message or NULL. */
static char *track_step(GArray *stack, const TEv *e, const char *key, TraceCheckStats *st) {
    char ph = ph_of(e->ev)[0];
    /* An E closes the innermost B after the X slices inside it that are over. */
    expire(stack, e->ts, ph == 'E');
    if (ph == 'B') {
        Open o = {e->ts, INFINITY};
        g_array_append_val(stack, o);
    } else if (ph == 'E') {
        if (stack->len == 0 || isfinite(g_array_index(stack, Open, stack->len - 1).end))
            return g_strdup_printf("track %s: E at %.3f (event %u) closes nothing", key, e->ts,
                                   e->index);
        g_array_set_size(stack, stack->len - 1);
        st->slices++;
    } else if (ph == 'X') {
        double end = e->ts + json_number_value(json_object_get(e->ev, "dur"));
        if (stack->len && end > g_array_index(stack, Open, stack->len - 1).end)
            return g_strdup_printf("track %s: X at %.3f (event %u) overlaps its parent", key, e->ts,
                                   e->index);
        Open o = {e->ts, end};
        g_array_append_val(stack, o);
        st->slices++;
    } else if (strchr("stf", ph)) {
        if (stack->len == 0)
            return g_strdup_printf("track %s: flow event %c at %.3f (event %u) is in no slice", key,
                                   ph, e->ts, e->index);
        const char *bp = json_string_value(json_object_get(e->ev, "bp"));
        if (ph == 'f' && (bp == NULL || strcmp(bp, "e") != 0))
            return g_strdup_printf("event %u: flow end without \"bp\": \"e\"", e->index);
    }
    return NULL;
}

static char *check_track(GArray *evs, const char *key, TraceCheckStats *st) {
    g_array_sort(evs, cmp_tev); /* stable: the index breaks ties */
    g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(Open));
    for (guint i = 0; i < evs->len; i++) {
        char *msg = track_step(stack, &g_array_index(evs, TEv, i), key, st);
        if (msg)
            return msg;
    }
    expire(stack, INFINITY, FALSE);
    if (stack->len)
        return g_strdup_printf("track %s: %u slice(s) never end", key, stack->len);
    return NULL;
}

static char *flow_key(json_t *ev) {
    json_t *id = json_object_get(ev, "id");
    g_autofree char *idtext = json_dumps(id, JSON_ENCODE_ANY);
    const char *cat = json_string_value(json_object_get(ev, "cat"));
    return g_strdup_printf("%s/%s/%s", cat ? cat : "",
                           json_string_value(json_object_get(ev, "name")), idtext);
}

static double ts_of(json_t *ev) { return json_number_value(json_object_get(ev, "ts")); }

/* Every f has an s with the same (cat, name, id) no later than itself. */
static char *check_flows(json_t *events, TraceCheckStats *st) {
    g_autoptr(GHashTable) starts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        if (ph_of(ev)[0] != 's')
            continue;
        st->flows_started++;
        double *ts = g_new(double, 1);
        *ts = ts_of(ev);
        g_hash_table_replace(starts, flow_key(ev), ts);
    }
    json_array_foreach(events, i, ev) {
        if (ph_of(ev)[0] != 'f')
            continue;
        st->flows_ended++;
        g_autofree char *key = flow_key(ev);
        double *s = g_hash_table_lookup(starts, key);
        if (s == NULL || *s > ts_of(ev))
            return g_strdup_printf("event %zu: flow %s ends without an earlier start", i, key);
    }
    return NULL;
}

/* Collects names, per-track events and async balances. */
static char *scan(json_t *events, GHashTable *tracks, GHashTable *named, GHashTable *pids,
                  GHashTable *async, TraceCheckStats *st) {
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        char *msg = check_fields(ev, (guint)i);
        if (msg)
            return msg;
        char ph = ph_of(ev)[0];
        const char *name = json_string_value(json_object_get(ev, "name"));
        if (ph == 'M' && strcmp(name, "thread_name") == 0)
            g_hash_table_add(named, track_key(ev));
        if (ph == 'M' && strcmp(name, "process_name") == 0)
            g_hash_table_add(pids, g_strdup_printf("%" JSON_INTEGER_FORMAT,
                                                   json_integer_value(json_object_get(ev, "pid"))));
        if (ph == 'C' && (msg = check_counter(ev, (guint)i)) != NULL)
            return msg;
        st->counters += ph == 'C';
        st->instants += ph == 'i' || ph == 'I';
        if (ph != 'M') {
            st->ts_min = MIN(st->ts_min, ts_of(ev));
            st->ts_max = MAX(st->ts_max, ts_of(ev));
        }
        if (ph == 'b' || ph == 'e') {
            g_autofree char *id = json_dumps(json_object_get(ev, "id"), JSON_ENCODE_ANY);
            g_autofree char *k = g_strdup_printf("%s/%s", name, id);
            gint64 n = GPOINTER_TO_SIZE(g_hash_table_lookup(async, k)) + (ph == 'b' ? 1 : -1);
            g_hash_table_replace(async, g_steal_pointer(&k), GSIZE_TO_POINTER(n));
        }
        if (!on_thread_track(ev))
            continue;
        char *key = track_key(ev);
        GArray *evs = g_hash_table_lookup(tracks, key);
        if (evs == NULL) {
            evs = g_array_new(FALSE, FALSE, sizeof(TEv));
            g_hash_table_insert(tracks, g_strdup(key), evs);
        }
        TEv t = {ts_of(ev), (guint)i, ev};
        g_array_append_val(evs, t);
        g_free(key);
    }
    return NULL;
}

char *trace_check(json_t *doc, TraceCheckStats *st) {
    memset(st, 0, sizeof *st);
    st->ts_min = INFINITY;
    st->ts_max = -INFINITY;
    json_t *events = json_object_get(doc, "traceEvents");
    if (!json_is_object(doc) || !json_is_array(events))
        return g_strdup("not an object with a \"traceEvents\" array");
    st->events = (guint)json_array_size(events);
    g_autoptr(GHashTable) tracks =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    g_autoptr(GHashTable) named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) pids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) async = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *msg = scan(events, tracks, named, pids, async, st);
    if (msg)
        return msg;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, tracks);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        st->tracks++;
        g_autofree char *pid = g_strndup(k, strcspn(k, "/"));
        if (!g_hash_table_contains(named, k))
            return g_strdup_printf("track %s has no thread_name metadata", (char *)k);
        if (!g_hash_table_contains(pids, pid))
            return g_strdup_printf("pid %s has no process_name metadata", pid);
        if ((msg = check_track(v, k, st)) != NULL)
            return msg;
    }
    g_hash_table_iter_init(&it, async);
    while (g_hash_table_iter_next(&it, &k, &v))
        if (GPOINTER_TO_SIZE(v) != 0)
            return g_strdup_printf("async slice %s: b and e do not pair up", (char *)k);
    return check_flows(events, st);
}

json_t *trace_check_find(json_t *doc, char ph, const char *name, guint nth) {
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(doc, "traceEvents"), i, ev) {
        if (ph_of(ev)[0] != ph)
            continue;
        if (name && g_strcmp0(json_string_value(json_object_get(ev, "name")), name) != 0)
            continue;
        if (nth-- == 0)
            return ev;
    }
    return NULL;
}

guint trace_check_count(json_t *doc, char ph, const char *name) {
    guint n = 0;
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(doc, "traceEvents"), i, ev) {
        if (ph_of(ev)[0] == ph &&
            (name == NULL || g_strcmp0(json_string_value(json_object_get(ev, "name")), name) == 0))
            n++;
    }
    return n;
}
