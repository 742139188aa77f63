/* First pass over providers and VMOs: each element checked on its own, with
 * its defaults filled in. Provider names and VMO → provider references are
 * checked by the resolver.
 *
 * Invariants of an accepted provider: workers >= 1; 0 <= failure_probability
 * <= 1; failure_status a valid failure code; supply_chunk a page multiple >= 4KiB;
 * supply_cluster 0 or a power of two >= 4KiB.
 * Of an accepted VMO: size a page multiple in [4KiB, 1PiB]; resident ranges page
 * aligned and non-empty.
 */
#include "sim/scenario/scn-raw.h"

#define WORKERS_MAX     100000
#define VMO_SIZE_MAX    (UINT64_C(1) << 50) /* 1 PiB */
#define DEFAULT_LATENCY (8 * SCN_USEC)      /* a userspace pager round trip */
#define DEFAULT_CHUNK   (64 * 1024)

static const ScnU64Limits workers_limits = {1, WORKERS_MAX};
static const ScnDoubleLimits probability = {0.0, 1.0, FALSE};
static const ScnSizeRule chunk_rule = {SCN_PAGE_SIZE, VMO_SIZE_MAX, TRUE, FALSE};
static const ScnSizeRule cluster_rule = {0, UINT64_C(1) << 30, TRUE, TRUE};
static const ScnSizeRule vmo_size_rule = {SCN_PAGE_SIZE, VMO_SIZE_MAX, TRUE, FALSE};

static const ScnField whole_fields[] = {
    SCN_OPT("cluster", scn__parse_size, ScnProvider, supply_cluster, &cluster_rule),
    SCN_END,
};
static const ScnField chunks_fields[] = {
    SCN_OPT("chunk", scn__parse_size, ScnProvider, supply_chunk, &chunk_rule),
    SCN_OPT("cluster", scn__parse_size, ScnProvider, supply_cluster, &cluster_rule),
    SCN_END,
};
static const ScnVariant supply_variants[] = {
    {"whole", whole_fields},
    {"pages", whole_fields},
    {"chunks", chunks_fields},
    {NULL, NULL},
};
static const ScnVariantSet supply_set = {
    "mode",          "supply mode", "supply mode", "whole", offsetof(ScnProvider, supply_mode),
    supply_variants,
};

static const ScnField failure_fields[] = {
    SCN_OPT("probability", scn__parse_double, ScnProvider, failure_probability, &probability),
    SCN_OPT("status", scn__parse_fail_status, ScnProvider, failure_status, NULL),
    SCN_END,
};

static const ScnField pager_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnProvider, name, NULL),
    SCN_OPT("workers", scn__parse_uint, ScnProvider, workers, &workers_limits),
    SCN_OPT("latency", scn__parse_dist, ScnProvider, latency, NULL),
    SCN_OPT("per_page", scn__parse_duration, ScnProvider, per_page_ns, NULL),
    SCN_OPT_SELF("supply", scn__parse_variant, &supply_set),
    SCN_OPT_SELF("failure", scn__parse_object, failure_fields),
    SCN_OPT("die_at", scn__parse_duration, ScnProvider, die_at_ns, NULL),
    SCN_OPT("device", scn__parse_name, ScnProvider, device_name, NULL),
    SCN_END,
};
static const ScnField sync_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnProvider, name, NULL),
    SCN_OPT("cost", scn__parse_duration, ScnProvider, cost_ns, NULL),
    SCN_END,
};
static const ScnField scripted_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnProvider, name, NULL),
    SCN_END,
};
static const ScnVariant provider_variants[] = {
    {"pager", pager_fields},
    {"sync", sync_fields},
    {"scripted", scripted_fields},
    {NULL, NULL},
};
static const ScnVariantSet provider_set = {
    "kind", "provider", "provider kind", NULL, offsetof(ScnProvider, kind), provider_variants,
};

/* Defaults first, then the walk overwrites what the file gives; the kind
 * selects which keys are allowed, so a sync provider with "workers" is an
 * error, not a silently ignored key. */
gboolean scn__parse_provider(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnProvider *p = item;

    p->workers = 1;
    p->latency = scn_dist_constant(DEFAULT_LATENCY);
    p->supply_mode = SCN_SUPPLY_WHOLE;
    p->supply_chunk = DEFAULT_CHUNK;
    p->failure_status = SCN_ZX_ERR_IO;
    p->die_at_ns = SCN_NEVER;
    p->device = SCN_NONE;
    return scn__walk_variant(ctx, elem, &provider_set, p, NULL, error);
}

/* Reads one [offset, length] pair of page-aligned sizes into @r. */
static gboolean parse_pair(ScnCtx *ctx, json_t *pair, ScnRange *r, GError **error) {
    static const ScnSizeRule offset_rule = {0, VMO_SIZE_MAX, TRUE, FALSE};
    static const ScnSizeRule length_rule = {SCN_PAGE_SIZE, VMO_SIZE_MAX, TRUE, FALSE};
    gsize mark;
    gboolean ok;

    if (!json_is_array(pair) || json_array_size(pair) != 2)
        return scn__fail(ctx, error, SCN_ERROR_TYPE,
                         "expected a pair [offset, length], e.g. [0, \"64KiB\"]");
    mark = scn__path_index(ctx, 0);
    ok = scn__parse_size(ctx, json_array_get(pair, 0), &r->offset, &offset_rule, error);
    scn__path_pop(ctx, mark);
    if (!ok)
        return FALSE;
    mark = scn__path_index(ctx, 1);
    ok = scn__parse_size(ctx, json_array_get(pair, 1), &r->length, &length_rule, error);
    scn__path_pop(ctx, mark);
    return ok;
}

/* Reads the "resident" list of [offset, length] pairs into the GArray at @field. */
static gboolean parse_resident(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                               GError **error) {
    GArray *out = *(GArray **)field;
    gsize i;
    json_t *pair;

    if (!json_is_array(value))
        return scn__type_error(ctx, error, "an array of [offset, length] pairs", value);
    json_array_foreach(value, i, pair) {
        ScnRange r = {0, 0};
        gsize mark = scn__path_index(ctx, i);
        gboolean ok = parse_pair(ctx, pair, &r, error);

        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
        g_array_append_val(out, r);
    }
    return TRUE;
}

static const ScnField vmo_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnRawVmo, pub.name, NULL),
    SCN_REQ("size", scn__parse_size, ScnRawVmo, pub.size, &vmo_size_rule),
    SCN_OPT("provider", scn__parse_name, ScnRawVmo, provider, NULL),
    SCN_OPT("resident", parse_resident, ScnRawVmo, resident, NULL),
    SCN_END,
};

/* A VMO without "provider" keeps SCN_NONE: anonymous memory. */
gboolean scn__parse_vmo(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnRawVmo *v = item;

    v->pub.provider = SCN_NONE;
    v->resident = g_array_new(FALSE, TRUE, sizeof(ScnRange));
    return scn__walk_object(ctx, elem, vmo_fields, v, NULL, error);
}
