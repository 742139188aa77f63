/* The Perfetto converter's output side (see rep-perfetto-private.h): the JSON
 * event writer, tracks and their metadata, counters, and the window.
 *
 * Invariants:
 *  1. every event written is one JSON object; the first is preceded by the
 *     document head, every later one by ",\n", and rep_perfetto_finish() adds
 *     the tail, so the document is valid JSON whenever it is finished;
 *  2. a track's thread_name metadata is written before anything is drawn on it;
 *  3. nothing is drawn before the window opens or after it closes; when it opens,
 *     the slices open at that moment are begun at its start, and when it closes
 *     they are all ended at its end, so B and E pair up on every track.
 */
#include <inttypes.h>
#include <string.h>

#include "sim/report/rep-digits.h"
#include "sim/report/rep-perfetto-private.h"

static void put_u64(GString *s, uint64_t v) {
    char digits[20];
    g_string_append_len(s, digits, rep_put_u64(digits, v) - digits);
}

static void put_i64(GString *s, int64_t v) {
    if (v < 0)
        g_string_append_c(s, '-');
    put_u64(s, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

/* Microseconds with the nanoseconds as a fraction, trailing zeros dropped. */
static void put_ts(GString *s, uint64_t ns) {
    put_u64(s, ns / 1000);
    unsigned frac = (unsigned)(ns % 1000);
    if (frac == 0)
        return;
    g_string_append_c(s, '.');
    g_string_append_c(s, (char)('0' + frac / 100));
    if (frac % 100)
        g_string_append_c(s, (char)('0' + frac / 10 % 10));
    if (frac % 10)
        g_string_append_c(s, (char)('0' + frac % 10));
}

/* A JSON string: runs of plain characters are copied at once. */
static void put_string(GString *s, const char *v) {
    g_string_append_c(s, '"');
    for (;;) {
        size_t n = strcspn(v, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                              "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
        g_string_append_len(s, v, (gssize)n);
        v += n;
        if (*v == '\0')
            break;
        if (*v == '"' || *v == '\\') {
            g_string_append_c(s, '\\');
            g_string_append_c(s, *v);
        } else {
            g_string_append_printf(s, "\\u%04x", (unsigned char)*v);
        }
        v++;
    }
    g_string_append_c(s, '"');
}

void pf__event(RepPerfetto *p, char ph, const char *name, uint64_t ts, int pid, int64_t tid) {
    g_string_assign(p->line, p->n_events ? ",\n{\"name\":" : "\n{\"name\":");
    put_string(p->line, name);
    g_string_append(p->line, ",\"ph\":\"");
    g_string_append_c(p->line, ph);
    g_string_append(p->line, "\",\"ts\":");
    put_ts(p->line, ts);
    g_string_append(p->line, ",\"pid\":");
    put_i64(p->line, pid);
    if (tid >= 0) {
        g_string_append(p->line, ",\"tid\":");
        put_i64(p->line, tid);
    }
    p->has_args = FALSE;
}

void pf__field_str(RepPerfetto *p, const char *key, const char *v) {
    g_assert_false(p->has_args);
    g_string_append(p->line, ",\"");
    g_string_append(p->line, key);
    g_string_append(p->line, "\":");
    put_string(p->line, v);
}

void pf__field_u64(RepPerfetto *p, const char *key, uint64_t v) {
    g_assert_false(p->has_args);
    g_string_append(p->line, ",\"");
    g_string_append(p->line, key);
    g_string_append(p->line, "\":");
    put_u64(p->line, v);
}

void pf__field_dur(RepPerfetto *p, uint64_t ns) {
    g_assert_false(p->has_args);
    g_string_append(p->line, ",\"dur\":");
    put_ts(p->line, ns);
}

static void arg_key(RepPerfetto *p, const char *key) {
    g_string_append(p->line, p->has_args ? "," : ",\"args\":{");
    p->has_args = TRUE;
    put_string(p->line, key);
    g_string_append_c(p->line, ':');
}

void pf__arg_str(RepPerfetto *p, const char *key, const char *v) {
    arg_key(p, key);
    put_string(p->line, v);
}

void pf__arg_u64(RepPerfetto *p, const char *key, uint64_t v) {
    arg_key(p, key);
    put_u64(p->line, v);
}

void pf__arg_i64(RepPerfetto *p, const char *key, int64_t v) {
    arg_key(p, key);
    put_i64(p->line, v);
}

void pf__end(RepPerfetto *p) {
    g_string_append(p->line, p->has_args ? "}}" : "}");
    rep_sink_write(p->sink, p->line->str, p->line->len);
    p->n_events++;
}

PfTrack *pf__track(RepPerfetto *p, int pid, const char *name) {
    g_autofree char *key = g_strdup_printf("%d/%s", pid, name);
    PfTrack *tr = g_hash_table_lookup(p->tracks, key);
    if (tr)
        return tr;
    tr = g_new0(PfTrack, 1);
    tr->name = g_strdup(name);
    tr->pid = pid;
    tr->tid = p->next_tid++;
    g_hash_table_insert(p->tracks, g_steal_pointer(&key), tr);
    return tr;
}

void pf__use(RepPerfetto *p, PfTrack *tr) {
    if (tr->named)
        return;
    tr->named = TRUE;
    pf__event(p, 'M', "thread_name", 0, tr->pid, tr->tid);
    pf__arg_str(p, "name", tr->name);
    pf__end(p);
    pf__event(p, 'M', "thread_sort_index", 0, tr->pid, tr->tid);
    pf__arg_i64(p, "sort_index", tr->tid);
    pf__end(p);
}

void pf__begin_slice(RepPerfetto *p, PfTrack *tr, const char *name, uint64_t ts) {
    pf__use(p, tr);
    pf__event(p, 'B', name, ts, tr->pid, tr->tid);
}

/* Ends carry no name: Perfetto then closes the innermost open slice, which is
 * the right one because slices are written in nesting order. */
void pf__end_slice(RepPerfetto *p, PfTrack *tr, uint64_t ts) {
    pf__use(p, tr);
    pf__event(p, 'E', "", ts, tr->pid, tr->tid);
}

void pf__instant(RepPerfetto *p, PfTrack *tr, const char *name, uint64_t ts) {
    pf__use(p, tr);
    pf__event(p, 'i', name, ts, tr->pid, tr->tid);
    pf__field_str(p, "s", "t");
}

void pf__global_instant(RepPerfetto *p, const char *name, uint64_t ts) {
    pf__event(p, 'i', name, ts, PF_PID_SCENARIO, -1);
    pf__field_str(p, "s", "g");
}

/* Flow events bind to the slice enclosing them on their track; "bp":"e" makes
 * the end do so too (by default it would bind to the next slice). */
void pf__flow(RepPerfetto *p, PfTrack *tr, char ph, const char *name, uint64_t id, uint64_t ts) {
    pf__use(p, tr);
    pf__event(p, ph, name, ts, tr->pid, tr->tid);
    pf__field_str(p, "cat", "vm");
    pf__field_u64(p, "id", id);
    if (ph == 'f')
        pf__field_str(p, "bp", "e");
    pf__end(p);
}

void pf__counter(RepPerfetto *p, const char *name, const char *key, int64_t v, int64_t *drawn,
                 uint64_t ts) {
    if (v < 0 || v == *drawn)
        return;
    *drawn = v;
    pf__event(p, 'C', name, ts, PF_PID_SCENARIO, -1);
    pf__arg_i64(p, key, v);
    pf__end(p);
}

void pf__counters_all(RepPerfetto *p, uint64_t ts) {
    pf__counter(p, "threads", "waiting", p->waiting, &p->waiting_drawn, ts);
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, p->vmos);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        PfVmo *vmo = v;
        pf__counter(p, vmo->name, "outstanding requests", vmo->outstanding, &vmo->outstanding_drawn,
                    ts);
        pf__counter(p, vmo->name, "queued requests", vmo->queued, &vmo->queued_drawn, ts);
        pf__counter(p, vmo->name, "resident pages", vmo->resident, &vmo->resident_drawn, ts);
    }
}

static void open_all(RepPerfetto *p, uint64_t ts) {
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, p->threads);
    while (g_hash_table_iter_next(&it, NULL, &v))
        pf__thread_draw_open(p, v);
    g_hash_table_iter_init(&it, p->workers);
    while (g_hash_table_iter_next(&it, NULL, &v))
        pf__worker_draw_open(p, v);
    pf__counters_all(p, ts);
}

void pf__close_all(RepPerfetto *p, uint64_t ts) {
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, p->threads);
    while (g_hash_table_iter_next(&it, NULL, &v))
        pf__thread_close(p, v, ts);
    g_hash_table_iter_init(&it, p->workers);
    while (g_hash_table_iter_next(&it, NULL, &v))
        pf__worker_close(p, v, ts);
}

gboolean pf__live(RepPerfetto *p, uint64_t t) {
    p->last_t = MAX(p->last_t, t);
    if (p->closed)
        return FALSE;
    if (t >= p->win_end) {
        if (p->opened)
            pf__close_all(p, p->win_end);
        p->closed = TRUE;
        return FALSE;
    }
    if (!p->opened && t >= p->win_start) {
        p->opened = TRUE;
        open_all(p, p->win_start);
    }
    return p->opened;
}

guint64 rep_perfetto_bytes(const RepPerfetto *p) { return rep_sink_bytes_in(p->sink); }
