/* Second pass: the relations between objects. Names must be unique per section,
 * references must name something suitable, ranges must lie within their VMO,
 * and defaults that depend on other objects (a range "to the end of the VMO", a
 * zipf hot set "the whole range") are resolved. Then the public parts move into
 * a ScnScenario. Actions and the stop condition are in scn-resolve-actions.c.
 *
 * Invariants after a successful pass:
 * 1. Every index in the scenario is in bounds (or SCN_NONE where documented).
 * 2. Closed and open workloads have range_size > 0, range within the VMO's
 *    initial size, and pages * 4KiB <= range_size.
 * 3. Explicit thread names are unique across all explicit workloads.
 */
#include "sim/scenario/scn-raw.h"

#include <string.h>

#define RAW(arr, type, i) (&g_array_index((arr), type, (i)))

/* Formats "the known ones" part of a reference error from @names. */
gboolean scn__reference_error(ScnCtx *ctx, GError **error, const char *what, const char *name,
                              const char *const *names) {
    g_autofree char *list = NULL;
    const char *hint;

    if (names[0] == NULL)
        return scn__fail(ctx, error, SCN_ERROR_REFERENCE, "no %s named \"%s\" (there are none)",
                         what, name);
    hint = scn__suggest(name, names);
    if (hint != NULL)
        return scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                         "no %s named \"%s\" (did you mean \"%s\"?)", what, name, hint);
    list = g_strjoinv(", ", (char **)names);
    return scn__fail(ctx, error, SCN_ERROR_REFERENCE, "no %s named \"%s\" (known: %s)", what, name,
                     list);
}

guint scn__find_provider(const ScnRaw *raw, const char *name) {
    for (guint i = 0; i < raw->providers->len; i++) {
        if (strcmp(RAW(raw->providers, ScnProvider, i)->name, name) == 0)
            return i;
    }
    return SCN_NONE;
}

guint scn__find_vmo(const ScnRaw *raw, const char *name) {
    for (guint i = 0; i < raw->vmos->len; i++) {
        if (strcmp(RAW(raw->vmos, ScnRawVmo, i)->pub.name, name) == 0)
            return i;
    }
    return SCN_NONE;
}

/* The largest size the VMO @vmo has at any time: its initial size or the size of
 * a resize action on it. Explicit accesses and actions may use all of it. */
uint64_t scn__vmo_max_size(const ScnRaw *raw, guint vmo) {
    const ScnRawVmo *v = RAW(raw->vmos, ScnRawVmo, vmo);
    uint64_t max = v->pub.size;

    for (guint i = 0; i < raw->actions->len; i++) {
        const ScnRawAction *a = RAW(raw->actions, ScnRawAction, i);
        if (a->pub.kind == SCN_ACTION_RESIZE && strcmp(a->vmo, v->pub.name) == 0)
            max = MAX(max, a->pub.size);
    }
    return max;
}

gboolean scn__check_range(ScnCtx *ctx, const ScnRaw *raw, guint vmo, uint64_t offset,
                          uint64_t length, gboolean max_size, GError **error) {
    const ScnRawVmo *v = RAW(raw->vmos, ScnRawVmo, vmo);
    uint64_t limit = max_size ? scn__vmo_max_size(raw, vmo) : v->pub.size;
    uint64_t end;
    g_autofree char *s_off = NULL, *s_end = NULL, *s_lim = NULL;

    if (g_uint64_checked_add(&end, offset, length) && end <= limit)
        return TRUE;
    s_off = scn_format_size(offset);
    s_end = g_uint64_checked_add(&end, offset, length) ? scn_format_size(end) : g_strdup("2^64");
    s_lim = scn_format_size(limit);
    return scn__fail(ctx, error, SCN_ERROR_REFERENCE,
                     "the range %s..%s reaches beyond the end of VMO \"%s\" (%s%s)", s_off, s_end,
                     v->pub.name, s_lim, limit != v->pub.size ? ", its largest size" : "");
}

/* Collects the names of a section for suggestions; borrows the strings. */
static GPtrArray *section_names(GArray *arr, gsize name_offset) {
    GPtrArray *names = g_ptr_array_new();

    for (guint i = 0; i < arr->len; i++) {
        char *item = arr->data + (gsize)i * g_array_get_element_size(arr);
        g_ptr_array_add(names, *(char **)(item + name_offset));
    }
    g_ptr_array_add(names, NULL);
    return names;
}

/* Reports the first name of @section that repeats an earlier one. */
static gboolean check_unique(ScnCtx *ctx, const char *section, const char *what, GArray *arr,
                             gsize name_offset, GError **error) {
    g_autoptr(GPtrArray) names = section_names(arr, name_offset);

    for (guint i = 0; i < arr->len; i++) {
        for (guint j = 0; j < i; j++) {
            gsize mark;

            if (strcmp(names->pdata[i], names->pdata[j]) != 0)
                continue;
            mark = scn__path_key(ctx, section);
            scn__path_index(ctx, i);
            scn__path_key(ctx, "name");
            scn__fail(ctx, error, SCN_ERROR_DUPLICATE,
                      "duplicate %s name \"%s\" (first used by $.%s[%u])", what,
                      (char *)names->pdata[i], section, j);
            scn__path_pop(ctx, mark);
            return FALSE;
        }
    }
    return TRUE;
}

/* Resolves the provider of VMO @i and checks its resident ranges. */
static gboolean check_vmo(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error) {
    ScnRawVmo *v = RAW(raw->vmos, ScnRawVmo, i);
    gsize mark;

    if (v->provider != NULL) {
        v->pub.provider = scn__find_provider(raw, v->provider);
        if (v->pub.provider == SCN_NONE) {
            g_autoptr(GPtrArray) names = section_names(raw->providers, offsetof(ScnProvider, name));
            mark = scn__path_key(ctx, "provider");
            scn__reference_error(ctx, error, "provider", v->provider,
                                 (const char *const *)names->pdata);
            scn__path_pop(ctx, mark);
            return FALSE;
        }
    }
    for (guint k = 0; k < v->resident->len; k++) {
        const ScnRange *r = &g_array_index(v->resident, ScnRange, k);
        gboolean ok;

        mark = scn__path_key(ctx, "resident");
        scn__path_index(ctx, k);
        ok = scn__check_range(ctx, raw, i, r->offset, r->length, FALSE, error);
        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* Runs @check on every element of a section with the path at that element. */
gboolean scn__resolve_each(ScnCtx *ctx, ScnRaw *raw, const char *section, guint n, ScnCheckFn check,
                           GError **error) {
    for (guint i = 0; i < n; i++) {
        gsize mark = scn__path_key(ctx, section);
        gboolean ok;

        scn__path_index(ctx, i);
        ok = check(ctx, raw, i, error);
        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* Moves the VMOs out of @raw, leaving the raw items owning nothing public. */
static ScnVmo *take_vmos(ScnRaw *raw) {
    ScnVmo *out = g_new0(ScnVmo, raw->vmos->len);

    for (guint i = 0; i < raw->vmos->len; i++) {
        ScnRawVmo *v = &g_array_index(raw->vmos, ScnRawVmo, i);
        gsize n = 0;

        out[i] = v->pub;
        out[i].resident = g_array_steal(v->resident, &n);
        out[i].n_resident = (guint)n;
        memset(&v->pub, 0, sizeof v->pub);
    }
    return out;
}

/* Moves the workloads (with their explicit accesses) out of @raw. */
static ScnWorkload *take_workloads(ScnRaw *raw) {
    ScnWorkload *out = g_new0(ScnWorkload, raw->workloads->len);

    for (guint i = 0; i < raw->workloads->len; i++) {
        ScnRawWorkload *w = &g_array_index(raw->workloads, ScnRawWorkload, i);

        out[i] = w->pub;
        out[i].n_accesses = w->accesses->len;
        out[i].accesses = g_new0(ScnAccess, w->accesses->len);
        for (guint k = 0; k < w->accesses->len; k++)
            out[i].accesses[k] = g_array_index(w->accesses, ScnRawAccess, k).pub;
        memset(&w->pub, 0, sizeof w->pub);
    }
    return out;
}

/* Builds the scenario from a fully checked @raw. */
static ScnScenario *take_scenario(ScnRaw *raw) {
    ScnScenario *sc = g_new0(ScnScenario, 1);
    gsize n = 0;

    *sc = raw->sc;
    memset(&raw->sc, 0, sizeof raw->sc);
    if (sc->description == NULL)
        sc->description = g_strdup("");
    sc->n_providers = raw->providers->len;
    sc->providers = g_array_steal(raw->providers, &n);
    sc->n_vmos = raw->vmos->len;
    sc->vmos = take_vmos(raw);
    sc->n_devices = raw->devices->len;
    sc->devices = g_array_steal(raw->devices, &n);
    sc->n_workloads = raw->workloads->len;
    sc->workloads = take_workloads(raw);
    sc->n_actions = raw->actions->len;
    sc->actions = g_new0(ScnAction, raw->actions->len);
    for (guint i = 0; i < raw->actions->len; i++)
        sc->actions[i] = g_array_index(raw->actions, ScnRawAction, i).pub;
    return sc;
}

ScnScenario *scn__resolve(ScnCtx *ctx, ScnRaw *raw, GError **error) {
    if (!check_unique(ctx, "providers", "provider", raw->providers, offsetof(ScnProvider, name),
                      error) ||
        !scn__resolve_devices(ctx, raw, error) ||
        !check_unique(ctx, "vmos", "VMO", raw->vmos, offsetof(ScnRawVmo, pub.name), error) ||
        !scn__resolve_each(ctx, raw, "vmos", raw->vmos->len, check_vmo, error) ||
        !check_unique(ctx, "workloads", "workload", raw->workloads,
                      offsetof(ScnRawWorkload, pub.name), error) ||
        !scn__resolve_each(ctx, raw, "workloads", raw->workloads->len, scn__check_workload,
                           error) ||
        !scn__resolve_actions(ctx, raw, error))
        return NULL;
    return take_scenario(raw);
}
