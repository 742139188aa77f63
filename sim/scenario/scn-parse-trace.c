/* Trace workloads in the scenario: the keys, and the check that reads the trace
 * through once, streaming, before anything runs, so a bad record stops the
 * load (exit 2, nothing written) instead of a run half way.
 *
 * Invariants of an accepted trace workload:
 * 1. every record names a known VMO, and its pages lie within the VMO's
 *    largest size (its own, or that of a resize action);
 * 2. every thread is a listed one when "threads" is given;
 * 3. as_recorded: start times never fall from one record to the next;
 *    closed: the start times of one thread never fall;
 * 4. the file holds at least one record.
 */
#include "sim/scenario/scn-raw.h"
#include "sim/scenario/scn-trace.h"

#include <inttypes.h>
#include <string.h>

static const char *const mode_names[] = {"as_recorded", "closed", NULL};
static const ScnEnumArg mode_arg = {"trace mode", mode_names};

/* "threads": a non-empty list of distinct thread names, kept as a strv. */
static gboolean parse_threads(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                              GError **error) {
    ScnWorkload *w = field;
    size_t i;
    json_t *v;
    if (!json_is_array(value) || json_array_size(value) == 0)
        return scn__type_error(ctx, error, "a non-empty list of thread names", value);
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    json_array_foreach(value, i, v) {
        gsize mark = scn__path_index(ctx, i);
        char *name = NULL;
        gboolean ok = scn__parse_name(ctx, v, &name, NULL, error);
        if (ok && !g_hash_table_add(seen, (gpointer)json_string_value(v)))
            ok = scn__fail(ctx, error, SCN_ERROR_DUPLICATE, "thread \"%s\" is listed twice", name);
        scn__path_pop(ctx, mark);
        if (!ok) {
            g_free(name);
            return FALSE;
        }
        g_strv_builder_add(b, name);
        g_free(name);
    }
    g_strfreev(w->thread_names);
    w->thread_names = g_strv_builder_end(b);
    w->threads = g_strv_length(w->thread_names);
    return TRUE;
}

const ScnField scn__trace_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnRawWorkload, pub.name, NULL),
    SCN_REQ("file", scn__parse_string, ScnRawWorkload, pub.trace_file, NULL),
    SCN_OPT("mode", scn__parse_enum, ScnRawWorkload, pub.trace_mode, &mode_arg),
    SCN_OPT("threads", parse_threads, ScnRawWorkload, pub, NULL),
    SCN_END,
};

/* A relative trace file is found beside the scenario file. */
static void resolve_path(ScnCtx *ctx, ScnWorkload *w) {
    if (g_path_is_absolute(w->trace_file))
        return;
    g_autofree char *dir = g_path_get_dirname(ctx->source);
    char *full = g_build_filename(dir, w->trace_file, NULL);
    g_free(w->trace_file);
    w->trace_file = full;
}

/* Checks one record against the VMO sizes and the time order (invariants 1, 3). */
static gboolean check_record(ScnCtx *ctx, ScnRaw *raw, const ScnWorkload *w, ScnTraceReader *rd,
                             const ScnTraceRecord *r, GArray *last, const uint64_t *limits,
                             GError **error) {
    if (r->pages > (limits[r->vmo] - MIN(limits[r->vmo], r->offset)) / SCN_PAGE_SIZE)
        return scn__fail_key(
            ctx, error, SCN_ERROR_REFERENCE, "file",
            "%s:%" PRIu64 ": pages [%" PRIu64 ", %" PRIu64 ") lie beyond the end "
            "of VMO \"%s\" (%" PRIu64 " pages)",
            w->trace_file, r->line, r->offset / SCN_PAGE_SIZE, r->offset / SCN_PAGE_SIZE + r->pages,
            g_array_index(raw->vmos, ScnRawVmo, r->vmo).pub.name, limits[r->vmo] / SCN_PAGE_SIZE);
    guint slot = w->trace_mode == SCN_TRACE_CLOSED ? r->thread : 0;
    if (slot >= last->len)
        g_array_set_size(last, slot + 1);
    uint64_t *prev = &g_array_index(last, uint64_t, slot);
    if (r->t_ns < *prev)
        return scn__fail_key(
            ctx, error, SCN_ERROR_VALUE, "file",
            "%s:%" PRIu64 ": the time goes back from %" PRIu64 "ns to %" PRIu64 "ns%s%s%s",
            w->trace_file, r->line, *prev, r->t_ns,
            w->trace_mode == SCN_TRACE_CLOSED ? " on thread \"" : "",
            w->trace_mode == SCN_TRACE_CLOSED ? scn_trace_reader_thread_name(rd, r->thread) : "",
            w->trace_mode == SCN_TRACE_CLOSED ? "\"" : "");
    *prev = r->t_ns;
    return TRUE;
}

/* Registers the threads of a closed trace for kill, suspend and resume. */
static gboolean register_threads(ScnCtx *ctx, ScnRaw *raw, guint wi, GError **error) {
    const ScnWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, wi).pub;
    for (guint i = 0; i < w->threads; i++) {
        if (g_hash_table_contains(raw->threads, w->thread_names[i]))
            return scn__fail_key(ctx, error, SCN_ERROR_DUPLICATE, "file",
                                 "thread \"%s\" already belongs to another workload",
                                 w->thread_names[i]);
        ScnThreadRef *ref = g_new(ScnThreadRef, 1);
        ref->workload = wi;
        ref->index = i;
        g_hash_table_insert(raw->threads, g_strdup(w->thread_names[i]), ref);
    }
    return TRUE;
}

/* Opens the trace with the scenario's VMO names. */
static ScnTraceReader *open_trace(ScnCtx *ctx, ScnRaw *raw, ScnWorkload *w, GError **error) {
    g_autoptr(GPtrArray) vmos = g_ptr_array_new();
    for (guint i = 0; i < raw->vmos->len; i++)
        g_ptr_array_add(vmos, g_array_index(raw->vmos, ScnRawVmo, i).pub.name);
    g_ptr_array_add(vmos, NULL);
    g_autoptr(GError) err = NULL;
    ScnTraceReader *rd = scn_trace_reader_open(w->trace_file, (const char *const *)vmos->pdata,
                                               (const char *const *)w->thread_names, &err);
    if (rd == NULL)
        scn__fail_key(ctx, error, SCN_ERROR_IO, "file", "%s", err->message);
    return rd;
}

gboolean scn__check_trace(ScnCtx *ctx, ScnRaw *raw, guint wi, GError **error) {
    ScnWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, wi).pub;
    resolve_path(ctx, w);
    g_autoptr(ScnTraceReader) rd = open_trace(ctx, raw, w, error);
    if (rd == NULL)
        return FALSE;
    g_autofree uint64_t *limits = g_new(uint64_t, raw->vmos->len);
    for (guint i = 0; i < raw->vmos->len; i++)
        limits[i] = scn__vmo_max_size(raw, i);
    g_autoptr(GArray) last = g_array_new(FALSE, TRUE, sizeof(uint64_t));
    g_autoptr(GError) err = NULL;
    ScnTraceRecord r;
    int got;
    w->trace_records = 0;
    while ((got = scn_trace_reader_next(rd, &r, &err)) == 1) {
        if (!check_record(ctx, raw, w, rd, &r, last, limits, error))
            return FALSE;
        w->trace_records++;
    }
    if (got < 0)
        return scn__fail_key(ctx, error, err->code == SCN_ERROR_IO ? SCN_ERROR_IO : SCN_ERROR_VALUE,
                             "file", "%s", err->message);
    if (w->trace_records == 0)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "file", "%s: the trace has no records",
                             w->trace_file);
    g_strfreev(w->thread_names);
    w->thread_names = scn_trace_reader_thread_names(rd);
    w->threads = g_strv_length(w->thread_names);
    return w->trace_mode != SCN_TRACE_CLOSED || register_threads(ctx, raw, wi, error);
}
