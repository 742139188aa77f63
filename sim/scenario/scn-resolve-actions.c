/* Second pass over actions and the stop condition: VMO, provider and thread
 * references, which provider kinds each action needs, ranges within VMOs, the
 * check that the run can end, and the stable sort of actions by time.
 *
 * Invariants after a successful pass:
 * 1. supply, non-raw fail and detach name a VMO backed by a pager or scripted
 *    provider; evict names a VMO with a provider; dequeue names a scripted
 *    provider; pager_close a pager or scripted one.
 * 2. Thread references name an explicit thread or "WORKLOAD/INDEX" of a closed
 *    workload with INDEX < threads.
 * 3. Actions are ordered by at_ns, then by src_index.
 */
#include "sim/scenario/scn-raw.h"

#include <string.h>

/* Whether @kind answers through a pager port (so supply/fail/detach apply). */
static gboolean is_pager_like(ScnProviderKind kind) {
    return kind == SCN_PROVIDER_PAGER || kind == SCN_PROVIDER_SCRIPTED;
}

/* Resolves a provider name at the key "provider" and checks its kind. */
static gboolean resolve_provider(ScnCtx *ctx, ScnRaw *raw, ScnRawAction *a, GError **error) {
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const ScnProvider *p;
    gsize mark;
    gboolean ok = TRUE;

    a->pub.provider = scn__find_provider(raw, a->provider);
    for (guint i = 0; i < raw->providers->len; i++)
        g_ptr_array_add(names, g_array_index(raw->providers, ScnProvider, i).name);
    g_ptr_array_add(names, NULL);
    mark = scn__path_key(ctx, "provider");
    p = a->pub.provider != SCN_NONE ? &g_array_index(raw->providers, ScnProvider, a->pub.provider)
                                    : NULL;
    if (p == NULL)
        ok = scn__reference_error(ctx, error, "provider", a->provider,
                                  (const char *const *)names->pdata);
    else if (a->pub.kind == SCN_ACTION_DEQUEUE && p->kind != SCN_PROVIDER_SCRIPTED)
        ok = scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                       "dequeue needs a scripted provider; \"%s\" is a %s provider", p->name,
                       scn_provider_kind_to_string(p->kind));
    else if (!is_pager_like(p->kind))
        ok = scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                       "%s needs a pager or scripted provider; \"%s\" is a %s provider",
                       scn_action_kind_to_string(a->pub.kind), p->name,
                       scn_provider_kind_to_string(p->kind));
    scn__path_pop(ctx, mark);
    return ok;
}

/* Checks that the VMO of @a has the kind of provider the action needs. */
static gboolean check_vmo_provider(ScnCtx *ctx, ScnRaw *raw, ScnRawAction *a, GError **error) {
    const ScnVmo *v = &g_array_index(raw->vmos, ScnRawVmo, a->pub.vmo).pub;
    const ScnProvider *p =
        v->provider != SCN_NONE ? &g_array_index(raw->providers, ScnProvider, v->provider) : NULL;
    const char *act = scn_action_kind_to_string(a->pub.kind);
    gboolean needs_pager = a->pub.kind == SCN_ACTION_SUPPLY || a->pub.kind == SCN_ACTION_DETACH ||
                           (a->pub.kind == SCN_ACTION_FAIL && !a->pub.raw);

    if (a->pub.kind == SCN_ACTION_FAIL && a->pub.raw && p == NULL && a->provider == NULL)
        return scn__fail(ctx, error, SCN_ERROR_MISSING,
                         "a raw fail on VMO \"%s\", which has no provider, needs \"provider\"",
                         v->name);
    if ((needs_pager || a->pub.kind == SCN_ACTION_EVICT) && p == NULL)
        return scn__fail_key(ctx, error, SCN_ERROR_REFERENCE, "vmo",
                             "%s needs a VMO with a provider; \"%s\" has none", act, v->name);
    if (needs_pager && !is_pager_like(p->kind))
        return scn__fail_key(ctx, error, SCN_ERROR_REFERENCE, "vmo",
                             "%s needs a VMO backed by a pager or scripted provider; \"%s\" "
                             "uses %s provider \"%s\"",
                             act, v->name, scn_provider_kind_to_string(p->kind), p->name);
    return TRUE;
}

/* Resolves the VMO of @a, its provider rules and its range. */
static gboolean resolve_vmo(ScnCtx *ctx, ScnRaw *raw, ScnRawAction *a, GError **error) {
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    ScnActionKind k = a->pub.kind;

    a->pub.vmo = scn__find_vmo(raw, a->vmo);
    if (a->pub.vmo == SCN_NONE) {
        gsize mark = scn__path_key(ctx, "vmo");

        for (guint i = 0; i < raw->vmos->len; i++)
            g_ptr_array_add(names, g_array_index(raw->vmos, ScnRawVmo, i).pub.name);
        g_ptr_array_add(names, NULL);
        scn__reference_error(ctx, error, "VMO", a->vmo, (const char *const *)names->pdata);
        scn__path_pop(ctx, mark);
        return FALSE;
    }
    if (!check_vmo_provider(ctx, raw, a, error))
        return FALSE;
    if (k == SCN_ACTION_SUPPLY || k == SCN_ACTION_EVICT || (k == SCN_ACTION_FAIL && !a->pub.raw))
        return scn__check_range(ctx, raw, a->pub.vmo, a->pub.offset, a->pub.length, TRUE, error);
    return TRUE;
}

/* Resolves "WORKLOAD/INDEX" (a closed workload's thread) into @out. */
static gboolean closed_thread(ScnCtx *ctx, ScnRaw *raw, const char *name, ScnThreadRef *out,
                              GError **error) {
    const char *slash = strrchr(name, '/');
    g_autofree char *wname = g_strndup(name, (gsize)(slash - name));
    guint wi = 0;
    guint64 idx = 0;
    const ScnWorkload *w;

    while (wi < raw->workloads->len &&
           strcmp(g_array_index(raw->workloads, ScnRawWorkload, wi).pub.name, wname) != 0)
        wi++;
    if (wi == raw->workloads->len)
        return scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                         "no workload named \"%s\" for thread \"%s\"", wname, name);
    w = &g_array_index(raw->workloads, ScnRawWorkload, wi).pub;
    if (w->kind != SCN_WORKLOAD_CLOSED)
        return scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                         "workload \"%s\" is %s; only closed workloads have numbered threads",
                         wname, w->kind == SCN_WORKLOAD_OPEN ? "open" : "explicit");
    if (!g_ascii_isdigit(slash[1]) ||
        !g_ascii_string_to_unsigned(slash + 1, 10, 0, w->threads - 1, &idx, NULL))
        return scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                         "no thread \"%s\": workload \"%s\" has threads 0 to %u", name, wname,
                         w->threads - 1);
    out->workload = wi;
    out->index = (guint)idx;
    return TRUE;
}

/* Resolves the thread named by @a at the key "thread". */
static gboolean resolve_thread(ScnCtx *ctx, ScnRaw *raw, ScnRawAction *a, GError **error) {
    const ScnThreadRef *ref = g_hash_table_lookup(raw->threads, a->thread);
    gsize mark = scn__path_key(ctx, "thread");
    gboolean ok = TRUE;

    if (ref != NULL)
        a->pub.thread = *ref;
    else if (strchr(a->thread, '/') != NULL)
        ok = closed_thread(ctx, raw, a->thread, &a->pub.thread, error);
    else
        ok = scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                       "no thread \"%s\" (threads are the names used by explicit accesses, or "
                       "WORKLOAD/INDEX for a closed workload)",
                       a->thread);
    scn__path_pop(ctx, mark);
    return ok;
}

/* Resolves action @i; the path is at the action. */
static gboolean check_action(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error) {
    ScnRawAction *a = &g_array_index(raw->actions, ScnRawAction, i);

    a->pub.src_index = i;
    if (a->vmo != NULL && !resolve_vmo(ctx, raw, a, error))
        return FALSE;
    if (a->provider != NULL && !resolve_provider(ctx, raw, a, error))
        return FALSE;
    if (a->thread != NULL && !resolve_thread(ctx, raw, a, error))
        return FALSE;
    if (a->pub.kind == SCN_ACTION_FAIL && a->pub.raw && a->provider == NULL)
        a->pub.provider = g_array_index(raw->vmos, ScnRawVmo, a->pub.vmo).pub.provider;
    return TRUE;
}

/* Orders actions by time, then by position in the file. */
static gint action_cmp(gconstpointer pa, gconstpointer pb) {
    const ScnAction *a = &((const ScnRawAction *)pa)->pub;
    const ScnAction *b = &((const ScnRawAction *)pb)->pub;

    if (a->at_ns != b->at_ns)
        return a->at_ns < b->at_ns ? -1 : 1;
    return a->src_index < b->src_index ? -1 : a->src_index > b->src_index;
}

/* Without a horizon or an event budget, every workload must end by itself. */
static gboolean check_stop(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error) {
    const ScnWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, i).pub;

    if (raw->sc.stop_time_ns != SCN_NEVER || raw->sc.stop_events != 0)
        return TRUE;
    if (w->kind == SCN_WORKLOAD_CLOSED && w->access_limit == 0)
        return scn__fail(ctx, error, SCN_ERROR_MISSING,
                         "this workload never ends: set \"accesses\", or \"stop.time\" or "
                         "\"stop.events\" at the top level");
    if (w->kind == SCN_WORKLOAD_OPEN && w->count == 0)
        return scn__fail(ctx, error, SCN_ERROR_MISSING,
                         "this workload never ends: set \"count\", or \"stop.time\" or "
                         "\"stop.events\" at the top level");
    return TRUE;
}

/* The warm-up must end before the run does (when the run has a horizon). */
static gboolean check_warmup(ScnCtx *ctx, const ScnRaw *raw, GError **error) {
    uint64_t warmup = raw->sc.warmup_ns, stop = raw->sc.stop_time_ns;
    if (warmup == 0 || stop == SCN_NEVER || warmup < stop)
        return TRUE;
    g_autofree char *w = scn_format_duration(warmup), *s = scn_format_duration(stop);
    gsize mark = scn__path_key(ctx, "stop");
    gboolean ok = scn__fail_key(ctx, error, SCN_ERROR_VALUE, "warmup",
                                "must end before the run does (stop.time %s), got %s", s, w);
    scn__path_pop(ctx, mark);
    return ok;
}

gboolean scn__resolve_actions(ScnCtx *ctx, ScnRaw *raw, GError **error) {
    if (!check_warmup(ctx, raw, error))
        return FALSE;
    if (!scn__resolve_each(ctx, raw, "actions", raw->actions->len, check_action, error))
        return FALSE;
    if (!scn__resolve_each(ctx, raw, "workloads", raw->workloads->len, check_stop, error))
        return FALSE;
    g_array_sort(raw->actions, action_cmp);
    return TRUE;
}
