/* The "memory" section: the page cache's capacity, its watermarks, the reclaim
 * policy and its costs (scenarios/README.md, "memory"). Its presence turns the
 * bound on; the relations between its values are checked here, where the path
 * is $.memory.
 */
#include "sim/scenario/scn-raw.h"

#define UNSET G_MAXUINT64

static const char *const reclaim_names[] = {"lru", "clock", "two-list", "page-queues", NULL};
static const ScnEnumArg reclaim_arg = {"reclaim policy", reclaim_names};
static const ScnSizeRule capacity_rule = {SCN_PAGE_SIZE, G_MAXINT64, TRUE, FALSE};
static const ScnSizeRule mark_rule = {0, G_MAXINT64, TRUE, FALSE};
static const ScnU64Limits batch_limits = {1, 1 << 20};
static const ScnU64Limits gen_limits = {2, 16};
static const ScnU64Limits period_limits = {1, SCN_NEVER - 1};
static const ScnU64Limits shadow_limits = {0, 1024};

static const ScnField memory_fields[] = {
    SCN_REQ("capacity", scn__parse_size, ScnMemory, capacity, &capacity_rule),
    SCN_OPT("reclaim", scn__parse_enum, ScnMemory, reclaim, &reclaim_arg),
    SCN_OPT("low", scn__parse_size, ScnMemory, low, &mark_rule),
    SCN_OPT("high", scn__parse_size, ScnMemory, high, &mark_rule),
    SCN_OPT("vmo_limit", scn__parse_size, ScnMemory, vmo_limit, &capacity_rule),
    SCN_OPT("reclaim_cost", scn__parse_duration, ScnMemory, reclaim_cost_ns, NULL),
    SCN_OPT("batch", scn__parse_uint, ScnMemory, batch, &batch_limits),
    SCN_OPT("aging_period", scn__parse_duration, ScnMemory, aging_period_ns, &period_limits),
    SCN_OPT("generations", scn__parse_uint, ScnMemory, generations, &gen_limits),
    SCN_OPT("shadows", scn__parse_uint, ScnMemory, shadows, &shadow_limits),
    SCN_END,
};

const char *scn_reclaim_to_string(ScnReclaim reclaim) {
    g_return_val_if_fail(reclaim < SCN_RECLAIM_COUNT, "?");
    return reclaim_names[reclaim];
}

/* The defaults that depend on the capacity: high at 31/32 of it, low at 15/16,
 * rounded down to pages (at least one page below the capacity for high when
 * the capacity allows, so the reclaimer wakes before memory is full). */
static uint64_t default_mark(uint64_t capacity, uint64_t num, uint64_t den) {
    uint64_t pages = capacity / SCN_PAGE_SIZE;
    return pages * num / den * SCN_PAGE_SIZE;
}

static gboolean check(ScnCtx *ctx, ScnMemory *m, GError **error) {
    g_autofree char *cap = scn_format_size(m->capacity);
    if (m->high == UNSET)
        m->high = default_mark(m->capacity, 31, 32);
    if (m->low == UNSET)
        m->low = MIN(default_mark(m->capacity, 15, 16), m->high);
    if (m->high > m->capacity)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "high",
                             "the high watermark must not exceed the capacity (%s)", cap);
    if (m->low > m->high) {
        g_autofree char *hi = scn_format_size(m->high);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "low",
                             "the low watermark must not exceed the high one (%s)", hi);
    }
    if (m->vmo_limit > m->capacity)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "vmo_limit",
                             "the per-VMO limit must not exceed the capacity (%s)", cap);
    return TRUE;
}

gboolean scn__parse_memory(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                           GError **error) {
    ScnMemory *m = field;
    *m = (ScnMemory){
        .enabled = TRUE,
        .low = UNSET,
        .high = UNSET,
        .reclaim = SCN_RECLAIM_LRU,
        .reclaim_cost_ns = 1000,
        .batch = 32,
        .aging_period_ns = 100 * 1000 * 1000,
        .generations = 4,
        .shadows = 8,
    };
    return scn__walk_object(ctx, value, memory_fields, m, NULL, error) && check(ctx, m, error);
}
