/* Checks a distribution value: a duration (a constant) or an object selected by
 * "dist" (see scn-dist.h for the meaning of each kind and README for the keys).
 *
 * Invariants of a ScnDist this parser accepts:
 * 1. uniform: min_ns <= max_ns.
 * 2. exponential mean, lognormal median and pareto scale are at least 1 ns; sigma
 *    and shape are finite and above 0.
 * 3. lognormal: exactly one of sigma and p99 was given, p99 > median, and sigma
 *    is always set (derived from p99 when needed).
 * 5. every duration is at most 2^62 ns and a normal's stddev at least 1 ns,
 *    as the engine's samplers require (SCN_DIST_MAX_NS).
 * 4. empirical: 2 to 64 points, p rises strictly from exactly 0 to exactly 1,
 *    ns never falls.
 */
#include "sim/scenario/scn-dist.h"
#include "sim/scenario/scn-private.h"
#include "sim/scenario/scn-units.h"

#include <math.h>

#define EMPIRICAL_MAX_POINTS SCN_DIST_MAX_POINTS

static const ScnU64Limits any_ns = {0, SCN_DIST_MAX_NS};
static const ScnU64Limits positive = {1, SCN_DIST_MAX_NS};
static const ScnDoubleLimits sigma_limits = {0.0, 10.0, TRUE};
static const ScnDoubleLimits shape_limits = {0.0, 100.0, TRUE};

static gboolean parse_points(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                             GError **error);

static const ScnField constant_fields[] = {
    SCN_REQ("value", scn__parse_duration, ScnDist, value_ns, &any_ns),
    SCN_END,
};
static const ScnField uniform_fields[] = {
    SCN_REQ("min", scn__parse_duration, ScnDist, min_ns, &any_ns),
    SCN_REQ("max", scn__parse_duration, ScnDist, max_ns, &any_ns),
    SCN_END,
};
static const ScnField exponential_fields[] = {
    SCN_REQ("mean", scn__parse_duration, ScnDist, mean_ns, &positive),
    SCN_END,
};
static const ScnField normal_fields[] = {
    SCN_REQ("mean", scn__parse_duration, ScnDist, mean_ns, &any_ns),
    SCN_REQ("stddev", scn__parse_duration, ScnDist, stddev_ns, &positive),
    SCN_END,
};
/* Field order matters: the post-check below tests bits 1 (sigma) and 2 (p99). */
static const ScnField lognormal_fields[] = {
    SCN_REQ("median", scn__parse_duration, ScnDist, median_ns, &positive),
    SCN_OPT("sigma", scn__parse_double, ScnDist, sigma, &sigma_limits),
    SCN_OPT("p99", scn__parse_duration, ScnDist, p99_ns, &positive),
    SCN_END,
};
static const ScnField pareto_fields[] = {
    SCN_REQ("scale", scn__parse_duration, ScnDist, scale_ns, &positive),
    SCN_REQ("shape", scn__parse_double, ScnDist, shape, &shape_limits),
    SCN_END,
};
static const ScnField empirical_fields[] = {
    SCN_REQ_SELF("points", parse_points, NULL),
    SCN_END,
};

/* In ScnDistKind order. */
static const ScnVariant dist_variants[] = {
    {"constant", constant_fields},       {"uniform", uniform_fields},
    {"exponential", exponential_fields}, {"normal", normal_fields},
    {"lognormal", lognormal_fields},     {"pareto", pareto_fields},
    {"empirical", empirical_fields},     {NULL, NULL},
};

static const ScnVariantSet dist_set = {
    "dist", "distribution", "distribution", NULL, offsetof(ScnDist, kind), dist_variants,
};

/* Checks one [p, duration] pair; @prev is the previous point or NULL. */
static gboolean parse_point(ScnCtx *ctx, json_t *pair, ScnDistPoint *pt, const ScnDistPoint *prev,
                            GError **error) {
    g_autofree char *prev_ns = NULL;

    if (!json_is_array(pair) || json_array_size(pair) != 2 ||
        !json_is_number(json_array_get(pair, 0)))
        return scn__fail(ctx, error, SCN_ERROR_TYPE,
                         "expected a pair [probability, duration], e.g. [0.5, \"80us\"]");
    pt->p = json_number_value(json_array_get(pair, 0));
    if (!(pt->p >= 0.0 && pt->p <= 1.0))
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "probability must lie in [0, 1]");
    if (prev == NULL && pt->p != 0.0)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "the first point must have probability 0");
    if (prev != NULL && !(pt->p > prev->p))
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "probabilities must rise strictly from point to point");
    if (!scn__parse_duration(ctx, json_array_get(pair, 1), &pt->ns, &any_ns, error))
        return FALSE;
    if (prev != NULL && pt->ns < prev->ns) {
        prev_ns = scn_format_duration(prev->ns);
        return scn__fail(ctx, error, SCN_ERROR_VALUE,
                         "durations must not fall from point to point (previous: %s)", prev_ns);
    }
    return TRUE;
}

/* Reads the "points" of an empirical distribution; @field is the ScnDist. */
static gboolean parse_points(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                             GError **error) {
    ScnDist *d = field;
    g_autofree ScnDistPoint *pts = NULL;
    gsize n, i;
    json_t *pair;

    if (!json_is_array(value))
        return scn__type_error(ctx, error, "an array of [probability, duration] pairs", value);
    n = json_array_size(value);
    if (n < 2 || n > EMPIRICAL_MAX_POINTS)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "needs 2 to %d points, got %" G_GSIZE_FORMAT,
                         EMPIRICAL_MAX_POINTS, n);
    pts = g_new0(ScnDistPoint, n);
    json_array_foreach(value, i, pair) {
        gsize mark = scn__path_index(ctx, i);
        gboolean ok = parse_point(ctx, pair, &pts[i], i > 0 ? &pts[i - 1] : NULL, error);

        scn__path_pop(ctx, mark);
        if (!ok)
            return FALSE;
    }
    if (pts[n - 1].p != 1.0)
        return scn__fail(ctx, error, SCN_ERROR_VALUE, "the last point must have probability 1");
    g_free(d->points);
    d->points = g_steal_pointer(&pts);
    d->n_points = (guint)n;
    return TRUE;
}

/* The checks that relate several keys of one distribution object. */
static gboolean check_dist(ScnCtx *ctx, ScnDist *d, guint64 seen, GError **error) {
    g_autofree char *a = NULL;
    gboolean has_sigma = (seen & 2) != 0, has_p99 = (seen & 4) != 0;

    if (d->kind == SCN_DIST_UNIFORM && d->max_ns < d->min_ns) {
        a = scn_format_duration(d->min_ns);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "max", "must be at least \"min\" (%s)",
                             a);
    }
    if (d->kind != SCN_DIST_LOGNORMAL)
        return TRUE;
    if (!has_sigma && !has_p99)
        return scn__fail(ctx, error, SCN_ERROR_MISSING,
                         "a lognormal needs \"sigma\" or \"p99\" besides \"median\"");
    if (has_sigma && has_p99)
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "p99",
                             "give \"sigma\" or \"p99\", not both");
    if (has_p99 && d->p99_ns <= d->median_ns) {
        a = scn_format_duration(d->median_ns);
        return scn__fail_key(ctx, error, SCN_ERROR_VALUE, "p99", "must be above the median (%s)",
                             a);
    }
    if (has_p99)
        d->sigma = log((double)d->p99_ns / (double)d->median_ns) / SCN_Z99;
    return TRUE;
}

gboolean scn__parse_dist(ScnCtx *ctx, json_t *value, void *field, gconstpointer arg,
                         GError **error) {
    ScnDist *d = field;
    ScnDist tmp = scn_dist_constant(0);
    guint64 seen = 0;

    if (json_is_string(value) || json_is_integer(value)) {
        if (!scn__parse_duration(ctx, value, &tmp.value_ns, &any_ns, error))
            return FALSE;
    } else if (json_is_object(value)) {
        if (!scn__walk_variant(ctx, value, &dist_set, &tmp, &seen, error) ||
            !check_dist(ctx, &tmp, seen, error)) {
            scn_dist_clear(&tmp);
            return FALSE;
        }
    } else {
        return scn__type_error(ctx, error,
                               "a distribution (a duration such as \"80us\", or an object with "
                               "\"dist\")",
                               value);
    }
    scn_dist_clear(d);
    *d = tmp;
    return TRUE;
}
