/* First pass over devices: each element checked on its own; fields the file
 * leaves out take the kind's preset afterwards (the presets and their sources
 * are in scenarios/README.md, "Devices"). Provider -> device references are
 * checked by the resolver (scn__resolve_devices).
 *
 * Invariants of an accepted device: queue_depth >= 1; bandwidth_mbps > 0;
 * rpm >= 1 and span >= 4KiB for an hdd.
 */
#include "sim/scenario/scn-raw.h"

#include <string.h>

#define UNSET    G_MAXUINT64
#define UNSET_U  G_MAXUINT
#define QD_MAX   65536
#define SPAN_MAX (UINT64_C(1) << 50)
#define TB       UINT64_C(1000000000000)

static const ScnU64Limits qd_limits = {1, QD_MAX};
static const ScnU64Limits rpm_limits = {1, 100000};
static const ScnDoubleLimits bw_limits = {0.0, 1e7, TRUE};
static const ScnSizeRule span_rule = {SCN_PAGE_SIZE, SPAN_MAX, FALSE, FALSE};

static gboolean parse_latency(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                              GError **error) {
    ScnDevice *d = field;
    if (!scn__parse_dist(ctx, value, &d->latency, NULL, error))
        return FALSE;
    d->has_latency = TRUE;
    return TRUE;
}

#define COMMON_FIELDS                                                                              \
    SCN_REQ("name", scn__parse_name, ScnDevice, name, NULL),                                       \
        SCN_OPT("queue_depth", scn__parse_uint, ScnDevice, queue_depth, &qd_limits),               \
        SCN_OPT("request", scn__parse_duration, ScnDevice, request_ns, NULL),                      \
        SCN_OPT("bandwidth", scn__parse_double, ScnDevice, bandwidth_mbps, &bw_limits),            \
        SCN_OPT_SELF("latency", parse_latency, NULL)

static const ScnField flash_fields[] = {
    COMMON_FIELDS,
    SCN_OPT("position", scn__parse_duration, ScnDevice, position_ns, NULL),
    SCN_END,
};
static const ScnField hdd_fields[] = {
    COMMON_FIELDS,
    SCN_OPT("settle", scn__parse_duration, ScnDevice, settle_ns, NULL),
    SCN_OPT("stroke", scn__parse_duration, ScnDevice, stroke_ns, NULL),
    SCN_OPT("span", scn__parse_size, ScnDevice, span, &span_rule),
    SCN_OPT("rpm", scn__parse_uint, ScnDevice, rpm, &rpm_limits),
    SCN_END,
};
static const ScnField none_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnDevice, name, NULL),
    SCN_END,
};
static const ScnVariant device_variants[] = {
    {"none", none_fields}, {"nvme", flash_fields}, {"sata-ssd", flash_fields},
    {"hdd", hdd_fields},   {NULL, NULL},
};
static const ScnVariantSet device_set = {
    "kind", "device", "device kind", NULL, offsetof(ScnDevice, kind), device_variants,
};

/* The presets (scenarios/README.md cites each figure they reproduce). */
static const ScnDevice presets[SCN_DEVICE_KIND_COUNT] = {
    [SCN_DEVICE_NONE] = {.queue_depth = 1, .bandwidth_mbps = 1e7, .rpm = 1, .span = SCN_PAGE_SIZE},
    /* Intel DC P4500 2 TB: 10 us sequential and 85 us random 4 KiB read at
     * queue depth 1, 3.2 GB/s sequential read, 490,000 random 4 KiB reads/s. */
    [SCN_DEVICE_NVME] = {.queue_depth = 42,
                         .request_ns = 8720,
                         .position_ns = 75000,
                         .bandwidth_mbps = 3200,
                         .rpm = 1,
                         .span = SCN_PAGE_SIZE},
    /* Intel DC S4500: 36 us sequential and 110 us random 4 KiB read, 500 MB/s
     * sequential read, 72,000 random 4 KiB reads/s at queue depth 32. */
    [SCN_DEVICE_SATA_SSD] = {.queue_depth = 8,
                             .request_ns = 27808,
                             .position_ns = 74000,
                             .bandwidth_mbps = 500,
                             .rpm = 1,
                             .span = SCN_PAGE_SIZE},
    /* HGST Ultrastar 7K4000 (4 TB, 7200 rpm): 8.2 ms average read seek. */
    [SCN_DEVICE_HDD] = {.queue_depth = 1,
                        .request_ns = 0,
                        .bandwidth_mbps = 160,
                        .settle_ns = 1000000,
                        .stroke_ns = 13500000,
                        .span = 4 * TB,
                        .rpm = 7200},
};

/* Fills every field the file left out from the kind's preset. */
static void apply_preset(ScnDevice *d) {
    const ScnDevice *p = &presets[d->kind];
    if (d->queue_depth == UNSET_U)
        d->queue_depth = p->queue_depth;
    if (d->rpm == UNSET_U)
        d->rpm = p->rpm;
    if (d->bandwidth_mbps < 0)
        d->bandwidth_mbps = p->bandwidth_mbps;
    uint64_t *mine[] = {&d->request_ns, &d->position_ns, &d->settle_ns, &d->stroke_ns, &d->span};
    const uint64_t theirs[] = {p->request_ns, p->position_ns, p->settle_ns, p->stroke_ns, p->span};
    for (guint i = 0; i < G_N_ELEMENTS(mine); i++)
        if (*mine[i] == UNSET)
            *mine[i] = theirs[i];
}

gboolean scn__parse_device(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnDevice *d = item;
    d->queue_depth = UNSET_U;
    d->rpm = UNSET_U;
    d->bandwidth_mbps = -1.0;
    d->request_ns = d->position_ns = d->settle_ns = d->stroke_ns = d->span = UNSET;
    if (!scn__walk_variant(ctx, elem, &device_set, d, NULL, error))
        return FALSE;
    apply_preset(d);
    return TRUE;
}

const ScnDevice *scn__device_preset(ScnDeviceKind kind) { return &presets[kind]; }

static const char *const device_kind_names[] = {"none", "nvme", "sata-ssd", "hdd", NULL};

const char *scn_device_kind_to_string(ScnDeviceKind kind) {
    g_return_val_if_fail(kind < SCN_DEVICE_KIND_COUNT, "?");
    return device_kind_names[kind];
}

void scn__device_clear(ScnDevice *d) {
    g_free(d->name);
    if (d->has_latency)
        scn_dist_clear(&d->latency);
    d->name = NULL;
}

/* Resolves provider @i's "device" to an index. */
static gboolean check_provider(ScnCtx *ctx, ScnRaw *raw, guint i, GError **error) {
    ScnProvider *p = &g_array_index(raw->providers, ScnProvider, i);
    p->device = SCN_NONE;
    if (p->device_name == NULL)
        return TRUE;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint k = 0; k < raw->devices->len; k++) {
        const ScnDevice *d = &g_array_index(raw->devices, ScnDevice, k);
        if (strcmp(d->name, p->device_name) == 0) {
            p->device = k;
            return TRUE;
        }
        g_ptr_array_add(names, d->name);
    }
    g_ptr_array_add(names, NULL);
    gsize mark = scn__path_key(ctx, "device");
    scn__reference_error(ctx, error, "device", p->device_name, (const char *const *)names->pdata);
    scn__path_pop(ctx, mark);
    return FALSE;
}

gboolean scn__resolve_devices(ScnCtx *ctx, ScnRaw *raw, GError **error) {
    for (guint i = 0; i < raw->devices->len; i++) {
        for (guint j = 0; j < i; j++) {
            const char *a = g_array_index(raw->devices, ScnDevice, i).name;
            if (strcmp(a, g_array_index(raw->devices, ScnDevice, j).name) != 0)
                continue;
            gsize mark = scn__path_key(ctx, "devices");
            scn__path_index(ctx, i);
            scn__path_key(ctx, "name");
            scn__fail(ctx, error, SCN_ERROR_DUPLICATE,
                      "duplicate device name \"%s\" (first used by $.devices[%u])", a, j);
            scn__path_pop(ctx, mark);
            return FALSE;
        }
    }
    return scn__resolve_each(ctx, raw, "providers", raw->providers->len, check_provider, error);
}
