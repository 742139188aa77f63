/* First pass over timed actions: each checked on its own, selected by "do".
 * Names of VMOs, providers and threads, and ranges within VMOs, are checked by
 * the resolver.
 *
 * Invariants of an accepted action: supply and evict ranges are page aligned and
 * at least one page; a fail that is not raw has a page-aligned offset and length
 * (length 0 allowed) and a valid failure code; only a raw fail names a provider.
 */
#include "sim/scenario/scn-raw.h"

#define SIZE_LIMIT (UINT64_C(1) << 50)

static const ScnSizeRule offset_rule = {0, SIZE_LIMIT, TRUE, FALSE};
static const ScnSizeRule length_rule = {SCN_PAGE_SIZE, SIZE_LIMIT, TRUE, FALSE};
static const ScnSizeRule resize_rule = {0, SIZE_LIMIT, TRUE, FALSE};
static const ScnSizeRule raw_rule = {0, G_MAXUINT64, FALSE, FALSE};

#define AT       SCN_REQ("at", scn__parse_duration, ScnRawAction, pub.at_ns, NULL)
#define VMO      SCN_REQ("vmo", scn__parse_name, ScnRawAction, vmo, NULL)
#define PROVIDER SCN_REQ("provider", scn__parse_name, ScnRawAction, provider, NULL)
#define THREAD   SCN_REQ("thread", scn__parse_string, ScnRawAction, thread, NULL)
#define RANGE(rule)                                                                                \
    SCN_REQ("offset", scn__parse_size, ScnRawAction, pub.offset, &offset_rule),                    \
        SCN_REQ("length", scn__parse_size, ScnRawAction, pub.length, rule)

static const ScnField supply_fields[] = {
    AT,
    VMO,
    RANGE(&length_rule),
    SCN_OPT("zero", scn__parse_bool, ScnRawAction, pub.zero, NULL),
    SCN_END,
};
static const ScnField evict_fields[] = {AT, VMO, RANGE(&length_rule), SCN_END};
static const ScnField fail_fields[] = {
    AT,
    VMO,
    SCN_REQ("offset", scn__parse_size, ScnRawAction, pub.offset, &raw_rule),
    SCN_REQ("length", scn__parse_size, ScnRawAction, pub.length, &raw_rule),
    SCN_OPT("status", scn__parse_any_status, ScnRawAction, pub.status, NULL),
    SCN_OPT("raw", scn__parse_bool, ScnRawAction, pub.raw, NULL),
    SCN_OPT("provider", scn__parse_name, ScnRawAction, provider, NULL),
    SCN_END,
};
static const ScnField resize_fields[] = {
    AT,
    VMO,
    SCN_REQ("size", scn__parse_size, ScnRawAction, pub.size, &resize_rule),
    SCN_END,
};
static const ScnField vmo_fields[] = {AT, VMO, SCN_END};
static const ScnField provider_fields[] = {AT, PROVIDER, SCN_END};
static const ScnField thread_fields[] = {AT, THREAD, SCN_END};

/* In ScnActionKind order. */
static const ScnVariant action_variants[] = {
    {"supply", supply_fields},    {"fail", fail_fields},
    {"dequeue", provider_fields}, {"evict", evict_fields},
    {"resize", resize_fields},    {"detach", vmo_fields},
    {"close", vmo_fields},        {"pager_close", provider_fields},
    {"kill", thread_fields},      {"suspend", thread_fields},
    {"resume", thread_fields},    {NULL, NULL},
};
static const ScnVariantSet action_set = {
    "do", "action", "action", NULL, offsetof(ScnRawAction, pub.kind), action_variants,
};

/* The checks a fail action gets unless it is raw (see the README). */
static gboolean check_fail(ScnCtx *ctx, ScnRawAction *a, GError **error) {
    const char *name = scn_status_to_string(a->pub.status);
    g_autofree char *got = NULL;

    if (a->pub.raw)
        return TRUE;
    if (a->provider != NULL)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "provider",
                             "applies only to a raw fail (\"raw\": true)");
    if (a->pub.offset % SCN_PAGE_SIZE != 0) {
        got = scn_format_size(a->pub.offset);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "offset",
                             "must be a multiple of the page size (4KiB), got %s", got);
    }
    if (a->pub.length % SCN_PAGE_SIZE != 0) {
        got = scn_format_size(a->pub.length);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "length",
                             "must be a multiple of the page size (4KiB), got %s", got);
    }
    if (!scn_status_is_valid_failure(a->pub.status)) {
        got = name != NULL ? g_strdup(name) : g_strdup_printf("%" G_GINT64_FORMAT, a->pub.status);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "status",
                             "%s is not a valid failure code (expected ZX_ERR_IO, "
                             "ZX_ERR_IO_DATA_INTEGRITY or ZX_ERR_BAD_STATE, or set \"raw\": true)",
                             got);
    }
    return TRUE;
}

gboolean scn__parse_action(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnRawAction *a = item;

    a->pub.vmo = SCN_NONE;
    a->pub.provider = SCN_NONE;
    a->pub.thread.workload = SCN_NONE;
    a->pub.thread.index = SCN_NONE;
    a->pub.status = SCN_ZX_ERR_IO;
    if (!scn__walk_variant(ctx, elem, &action_set, a, NULL, error))
        return FALSE;
    if (a->pub.kind == SCN_ACTION_FAIL)
        return check_fail(ctx, a, error);
    return TRUE;
}
