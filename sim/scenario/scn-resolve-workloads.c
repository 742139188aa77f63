/* Second pass over workloads: VMO references, ranges within VMOs, defaults that
 * depend on the range, pattern rules that involve the thread count, and the
 * threads of explicit workloads (named by their accesses).
 *
 * Invariants after a successful pass (besides those in scn-resolve.c):
 * 1. A zipf hot set lies within the range (default: the whole range).
 * 2. per_thread is set only on closed workloads, whose range then gives every
 *    thread a slice of at least one access.
 * 3. The accesses of one explicit thread never go back in time.
 */
#include "sim/scenario/scn-raw.h"

#include <string.h>

/* Resolves the VMO name @name at the key "vmo" into @out. */
static gboolean resolve_vmo(ScnCtx *ctx, ScnRaw *raw, const char *name, guint *out,
                            GError **error) {
    g_autoptr(GPtrArray) names = NULL;
    gsize mark;

    *out = scn__find_vmo(raw, name);
    if (*out != SCN_NONE)
        return TRUE;
    names = g_ptr_array_new();
    for (guint i = 0; i < raw->vmos->len; i++)
        g_ptr_array_add(names, g_array_index(raw->vmos, ScnRawVmo, i).pub.name);
    g_ptr_array_add(names, NULL);
    mark = scn__path_key(ctx, "vmo");
    scn__reference_error(ctx, error, "VMO", name, (const char *const *)names->pdata);
    scn__path_pop(ctx, mark);
    return FALSE;
}

/* Resolves the range of a closed or open workload against its VMO. */
static gboolean resolve_range(ScnCtx *ctx, ScnRaw *raw, ScnWorkload *w, GError **error) {
    uint64_t vmo_size = g_array_index(raw->vmos, ScnRawVmo, w->vmo).pub.size;
    g_autofree char *s = NULL;
    gsize mark = scn__path_key(ctx, "range");
    gboolean ok = TRUE;

    if (w->range_size == 0 && w->range_offset >= vmo_size) {
        s = scn_format_size(vmo_size);
        ok = scn__fail_key(ctx, error, SCN_ERROR_REFERENCE, "offset",
                           "lies beyond the end of VMO \"%s\" (%s)",
                           g_array_index(raw->vmos, ScnRawVmo, w->vmo).pub.name, s);
    } else if (w->range_size == 0) {
        w->range_size = vmo_size - w->range_offset;
    } else {
        ok = scn__check_range(ctx, raw, w->vmo, w->range_offset, w->range_size, FALSE, error);
    }
    scn__path_pop(ctx, mark);
    return ok;
}

/* The rules that relate pages, pattern and threads to the resolved range. */
static gboolean check_pattern(ScnCtx *ctx, ScnWorkload *w, GError **error) {
    g_autofree char *a = scn_format_size(w->range_size);
    uint64_t range_pages = w->range_size / SCN_PAGE_SIZE;
    gsize mark;
    gboolean ok = TRUE;

    if (w->pages > range_pages)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "pages",
                             "an access of %" G_GUINT64_FORMAT " pages does not fit in the "
                             "range (%s)",
                             w->pages, a);
    mark = scn__path_key(ctx, "pattern");
    if (w->pattern.kind == SCN_PATTERN_ZIPF && w->pattern.hot_set == 0)
        w->pattern.hot_set = w->range_size;
    else if (w->pattern.kind == SCN_PATTERN_ZIPF && w->pattern.hot_set > w->range_size)
        ok = scn__fail_key(ctx, error, SCN_ERROR_VALUE, "hot_set",
                           "must be at most the range size (%s)", a);
    else if (w->pattern.per_thread && w->kind != SCN_WORKLOAD_CLOSED)
        ok = scn__fail_key(ctx, error, SCN_ERROR_VALUE, "per_thread",
                           "applies only to closed workloads");
    else if (w->pattern.per_thread && range_pages / w->threads < w->pages)
        ok = scn__fail_key(ctx, error, SCN_ERROR_VALUE, "per_thread",
                           "the range (%s) split over %u threads leaves slices smaller than "
                           "one access (%" G_GUINT64_FORMAT " page%s)",
                           a, w->threads, w->pages, w->pages == 1 ? "" : "s");
    scn__path_pop(ctx, mark);
    return ok;
}

/* Finds or adds the thread @name of explicit workload @wi; @names holds the
 * workload's thread names so far and @last the time of each one's last access. */
static gboolean explicit_thread(ScnCtx *ctx, ScnRaw *raw, guint wi, ScnRawAccess *a,
                                GPtrArray *names, GArray *last, GError **error) {
    ScnThreadRef *ref = g_hash_table_lookup(raw->threads, a->thread);
    g_autofree char *prev = NULL;

    if (ref != NULL && ref->workload != wi)
        return scn__fail_key(ctx, error, SCN_ERROR_DUPLICATE, "thread",
                             "thread \"%s\" already belongs to workload \"%s\"", a->thread,
                             g_array_index(raw->workloads, ScnRawWorkload, ref->workload).pub.name);
    if (ref == NULL) {
        ref = g_new(ScnThreadRef, 1);
        ref->workload = wi;
        ref->index = names->len;
        g_hash_table_insert(raw->threads, g_strdup(a->thread), ref);
        g_ptr_array_add(names, g_strdup(a->thread));
        g_array_append_val(last, a->pub.at_ns);
    }
    a->pub.thread = ref->index;
    if (a->pub.at_ns < g_array_index(last, uint64_t, ref->index)) {
        prev = scn_format_duration(g_array_index(last, uint64_t, ref->index));
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "at",
                             "the accesses of thread \"%s\" must not go back in time (its "
                             "previous access is at %s)",
                             a->thread, prev);
    }
    g_array_index(last, uint64_t, ref->index) = a->pub.at_ns;
    return TRUE;
}

/* Checks access @k of explicit workload @wi (the path is at the access). */
static gboolean check_access(ScnCtx *ctx, ScnRaw *raw, guint wi, ScnRawAccess *a, GPtrArray *names,
                             GArray *last, GError **error) {
    if (!resolve_vmo(ctx, raw, a->vmo, &a->pub.vmo, error))
        return FALSE;
    if (!scn__check_range(ctx, raw, a->pub.vmo, a->pub.offset, a->pub.pages * SCN_PAGE_SIZE, TRUE,
                          error))
        return FALSE;
    return explicit_thread(ctx, raw, wi, a, names, last, error);
}

/* Resolves the accesses and threads of explicit workload @wi. */
static gboolean check_explicit(ScnCtx *ctx, ScnRaw *raw, guint wi, GError **error) {
    ScnRawWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, wi);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) last = g_array_new(FALSE, FALSE, sizeof(uint64_t));

    for (guint k = 0; k < w->accesses->len; k++) {
        gsize mark = scn__path_key(ctx, "accesses");
        gboolean ok;

        scn__path_index(ctx, k);
        ok = check_access(ctx, raw, wi, &g_array_index(w->accesses, ScnRawAccess, k), names, last,
                          error);
        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    w->pub.threads = names->len;
    g_ptr_array_add(names, NULL);
    w->pub.thread_names = (char **)g_ptr_array_steal(names, NULL);
    return TRUE;
}

gboolean scn__check_workload(ScnCtx *ctx, ScnRaw *raw, guint wi, GError **error) {
    ScnRawWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, wi);

    if (w->pub.kind == SCN_WORKLOAD_EXPLICIT)
        return check_explicit(ctx, raw, wi, error);
    if (w->pub.kind == SCN_WORKLOAD_TRACE)
        return scn__check_trace(ctx, raw, wi, error);
    if (!resolve_vmo(ctx, raw, w->vmo, &w->pub.vmo, error))
        return FALSE;
    if (!resolve_range(ctx, raw, &w->pub, error))
        return FALSE;
    return check_pattern(ctx, &w->pub, error);
}
