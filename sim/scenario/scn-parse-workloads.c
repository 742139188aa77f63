/* First pass over workloads: closed, open and explicit, each checked on its own
 * with its defaults filled in. VMO and thread names, and ranges within VMOs, are
 * checked by the resolver.
 *
 * Invariants of an accepted workload: threads in 1..1000000 (closed), pages >= 1,
 * every offset and size a page multiple, stride and hot set >= 4KiB, theta in
 * (0, 10], rate in (0, 1e9] per second, every >= 1ns, max_in_flight in
 * 1..1000000 (default 100000), and an explicit workload
 * has at least one access.
 */
#include "sim/scenario/scn-raw.h"

#define THREADS_MAX       1000000
#define PAGES_MAX         (UINT64_C(1) << 38) /* 1 PiB of pages */
#define SIZE_MAX_BYTES    (UINT64_C(1) << 50)
#define DEFAULT_STRIDE    (64 * 1024)
#define DEFAULT_THETA     0.99
#define IN_FLIGHT_MAX     1000000
#define DEFAULT_IN_FLIGHT 100000

const char *const scn__access_names[] = {"fault", "read", "commit", NULL};

static const ScnEnumArg access_arg = {"access kind", scn__access_names};
static const char *const hint_names[] = {"normal", "sequential", "random", NULL};
static const ScnEnumArg hint_arg = {"access hint", hint_names};
static const ScnU64Limits threads_limits = {1, THREADS_MAX};
static const ScnU64Limits pages_limits = {1, PAGES_MAX};
static const ScnU64Limits count_limits = {1, G_MAXINT64};
static const ScnU64Limits in_flight_limits = {1, IN_FLIGHT_MAX};
static const ScnU64Limits positive = {1, SCN_NEVER - 1};
static const ScnDoubleLimits theta_limits = {0.0, 10.0, TRUE};
static const ScnSizeRule offset_rule = {0, SIZE_MAX_BYTES, TRUE, FALSE};
static const ScnSizeRule extent_rule = {SCN_PAGE_SIZE, SIZE_MAX_BYTES, TRUE, FALSE};

/* Pattern keys per kind: per_thread only where a cursor exists to split,
 * stride only for strided, hot_set and theta only for zipf. */
static const ScnField sequential_fields[] = {
    SCN_OPT("per_thread", scn__parse_bool, ScnPattern, per_thread, NULL),
    SCN_END,
};
static const ScnField strided_fields[] = {
    SCN_OPT("stride", scn__parse_size, ScnPattern, stride, &extent_rule),
    SCN_OPT("per_thread", scn__parse_bool, ScnPattern, per_thread, NULL),
    SCN_END,
};
static const ScnField uniform_fields[] = {
    SCN_END,
};
static const ScnField zipf_fields[] = {
    SCN_OPT("hot_set", scn__parse_size, ScnPattern, hot_set, &extent_rule),
    SCN_OPT("theta", scn__parse_double, ScnPattern, theta, &theta_limits),
    SCN_END,
};
static const ScnVariant pattern_variants[] = {
    {"sequential", sequential_fields},
    {"strided", strided_fields},
    {"uniform", uniform_fields},
    {"zipf", zipf_fields},
    {NULL, NULL},
};
static const ScnVariantSet pattern_set = {
    "kind", "pattern", "pattern kind", "sequential", offsetof(ScnPattern, kind), pattern_variants,
};

static const ScnField range_fields[] = {
    SCN_OPT("offset", scn__parse_size, ScnRawWorkload, pub.range_offset, &offset_rule),
    SCN_OPT("size", scn__parse_size, ScnRawWorkload, pub.range_size, &extent_rule),
    SCN_END,
};

/* Arrival processes of open workloads. */
static const ScnField poisson_fields[] = {
    SCN_REQ("rate", scn__parse_rate, ScnRawWorkload, pub.rate_per_s, NULL),
    SCN_END,
};
static const ScnField interval_fields[] = {
    SCN_REQ("every", scn__parse_duration, ScnRawWorkload, pub.every_ns, &positive),
    SCN_END,
};
static const ScnVariant arrival_variants[] = {
    {"poisson", poisson_fields},
    {"interval", interval_fields},
    {NULL, NULL},
};
static const ScnVariantSet arrival_set = {
    "process",
    "arrival process",
    "arrival process",
    NULL,
    offsetof(ScnRawWorkload, pub.arrival),
    arrival_variants,
};

static const ScnField access_fields[] = {
    SCN_REQ("thread", scn__parse_name, ScnRawAccess, thread, NULL),
    SCN_REQ("at", scn__parse_duration, ScnRawAccess, pub.at_ns, NULL),
    SCN_REQ("vmo", scn__parse_name, ScnRawAccess, vmo, NULL),
    SCN_OPT("access", scn__parse_enum, ScnRawAccess, pub.access, &access_arg),
    SCN_REQ("offset", scn__parse_size, ScnRawAccess, pub.offset, &offset_rule),
    SCN_OPT("pages", scn__parse_u64, ScnRawAccess, pub.pages, &pages_limits),
    SCN_END,
};

/* Checks one explicit access; @item is a zeroed ScnRawAccess. */
static gboolean parse_access(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnRawAccess *a = item;

    a->pub.pages = 1;
    a->pub.access = SCN_ACCESS_FAULT;
    return scn__walk_object(ctx, elem, access_fields, a, NULL, error);
}

/* Reads the "accesses" list of an explicit workload into the GArray at @field. */
static gboolean parse_accesses(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                               GError **error) {
    GArray *out = *(GArray **)field;

    if (json_is_array(value) && json_array_size(value) == 0)
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "an explicit workload needs at least one "
                         "access");
    return scn__walk_array(ctx, value, out, parse_access, error);
}

/* The keys of each workload kind. "accesses" means a count for closed
 * workloads and a list for explicit ones; the variant tables keep the two
 * apart. */
static const ScnField closed_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnRawWorkload, pub.name, NULL),
    SCN_REQ("vmo", scn__parse_name, ScnRawWorkload, vmo, NULL),
    SCN_OPT("threads", scn__parse_uint, ScnRawWorkload, pub.threads, &threads_limits),
    SCN_OPT("access", scn__parse_enum, ScnRawWorkload, pub.access, &access_arg),
    SCN_OPT("pages", scn__parse_u64, ScnRawWorkload, pub.pages, &pages_limits),
    SCN_OPT("pattern", scn__parse_variant, ScnRawWorkload, pub.pattern, &pattern_set),
    SCN_OPT_SELF("range", scn__parse_object, range_fields),
    SCN_OPT("think", scn__parse_dist, ScnRawWorkload, pub.think, NULL),
    SCN_OPT("accesses", scn__parse_u64, ScnRawWorkload, pub.access_limit, &count_limits),
    SCN_OPT("start", scn__parse_duration, ScnRawWorkload, pub.start_ns, NULL),
    SCN_OPT("hint", scn__parse_enum, ScnRawWorkload, pub.hint, &hint_arg),
    SCN_END,
};
static const ScnField open_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnRawWorkload, pub.name, NULL),
    SCN_REQ("vmo", scn__parse_name, ScnRawWorkload, vmo, NULL),
    SCN_REQ_SELF("arrival", scn__parse_variant, &arrival_set),
    SCN_OPT("access", scn__parse_enum, ScnRawWorkload, pub.access, &access_arg),
    SCN_OPT("pages", scn__parse_u64, ScnRawWorkload, pub.pages, &pages_limits),
    SCN_OPT("pattern", scn__parse_variant, ScnRawWorkload, pub.pattern, &pattern_set),
    SCN_OPT_SELF("range", scn__parse_object, range_fields),
    SCN_OPT("count", scn__parse_u64, ScnRawWorkload, pub.count, &count_limits),
    SCN_OPT("max_in_flight", scn__parse_u64, ScnRawWorkload, pub.max_in_flight, &in_flight_limits),
    SCN_OPT("start", scn__parse_duration, ScnRawWorkload, pub.start_ns, NULL),
    SCN_OPT("hint", scn__parse_enum, ScnRawWorkload, pub.hint, &hint_arg),
    SCN_END,
};
static const ScnField explicit_fields[] = {
    SCN_REQ("name", scn__parse_name, ScnRawWorkload, pub.name, NULL),
    SCN_REQ("accesses", parse_accesses, ScnRawWorkload, accesses, NULL),
    SCN_OPT("hint", scn__parse_enum, ScnRawWorkload, pub.hint, &hint_arg),
    SCN_END,
};
static const ScnVariant workload_variants[] = {
    {"closed", closed_fields},    {"open", open_fields}, {"explicit", explicit_fields},
    {"trace", scn__trace_fields}, {NULL, NULL},
};
static const ScnVariantSet workload_set = {
    "kind",
    "workload",
    "workload kind",
    NULL,
    offsetof(ScnRawWorkload, pub.kind),
    workload_variants,
};

/* Defaults that do not depend on other objects are set here; the range size
 * and the zipf hot set default to values the resolver computes. */
gboolean scn__parse_workload(ScnCtx *ctx, json_t *elem, void *item, GError **error) {
    ScnRawWorkload *w = item;

    w->pub.vmo = SCN_NONE;
    w->pub.access = SCN_ACCESS_FAULT;
    w->pub.pages = 1;
    w->pub.pattern.kind = SCN_PATTERN_SEQUENTIAL;
    w->pub.pattern.stride = DEFAULT_STRIDE;
    w->pub.pattern.theta = DEFAULT_THETA;
    w->pub.think = scn_dist_constant(0);
    w->pub.max_in_flight = DEFAULT_IN_FLIGHT;
    w->accesses = scn__raw_access_array();
    if (!scn__walk_variant(ctx, elem, &workload_set, w, NULL, error))
        return FALSE;
    if (w->pub.kind == SCN_WORKLOAD_CLOSED && w->pub.threads == 0)
        w->pub.threads = 1;
    return TRUE;
}
