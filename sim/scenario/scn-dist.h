/* Distributions of durations (service latency, think time) as the scenario states
 * them: a kind and its parameters, all durations in nanoseconds. The model turns a
 * ScnDist into a sampler on its engine; this header only describes and summarises.
 *
 * Meaning of each kind (X is the sampled duration):
 * - constant:    X = value_ns.
 * - uniform:     X uniform on [min_ns, max_ns].
 * - exponential: X exponential with mean mean_ns.
 * - normal:      X normal(mean_ns, stddev_ns) truncated at 0 (resampled or
 *                clamped below 0 by the sampler; the scenario does not decide).
 * - lognormal:   ln X normal(ln median_ns, sigma). When the file gives p99_ns
 *                instead of sigma, sigma = ln(p99_ns / median_ns) / 2.3263478740;
 *                p99_ns is then kept for display (0 when sigma was given).
 * - pareto:      Pareto type I: P(X > x) = (scale_ns / x)^shape for x >= scale_ns.
 * - empirical:   the inverse CDF through points[], linear between neighbours:
 *                p rises strictly from 0 (first point) to 1 (last point) and ns
 *                never falls, so F^-1(p) is well defined.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef enum {
    SCN_DIST_CONSTANT,
    SCN_DIST_UNIFORM,
    SCN_DIST_EXPONENTIAL,
    SCN_DIST_NORMAL,
    SCN_DIST_LOGNORMAL,
    SCN_DIST_PARETO,
    SCN_DIST_EMPIRICAL,
    SCN_DIST_KIND_COUNT
} ScnDistKind;

typedef struct {
    double p;    /* cumulative probability, 0..1 */
    uint64_t ns; /* the duration at that probability */
} ScnDistPoint;

typedef struct {
    ScnDistKind kind;     /* which of the fields below apply */
    uint64_t value_ns;    /* constant */
    uint64_t min_ns;      /* uniform lower bound */
    uint64_t max_ns;      /* uniform upper bound, >= min_ns */
    uint64_t mean_ns;     /* exponential (> 0), normal */
    uint64_t stddev_ns;   /* normal */
    uint64_t median_ns;   /* lognormal, > 0 */
    double sigma;         /* lognormal shape, > 0 (given or derived from p99_ns) */
    uint64_t p99_ns;      /* lognormal 99th percentile if the file gave it, else 0 */
    uint64_t scale_ns;    /* pareto minimum, > 0 */
    double shape;         /* pareto tail index, > 0 */
    ScnDistPoint *points; /* empirical, n_points >= 2; owned by the dist */
    guint n_points;       /* number of points */
} ScnDist;

/* The standard normal quantile at 0.99, used to turn a lognormal p99 into sigma. */
#define SCN_Z99 2.3263478740408408

/* What the engine's samplers take (sim-dist.h: SIM_DIST_MAX_SAMPLE and
 * SIM_DIST_EMPIRICAL_MAX; the model asserts they agree): every duration of a
 * distribution is at most 2^62 ns, and an empirical one has at most 64 points. */
#define SCN_DIST_MAX_NS     (UINT64_C(1) << 62)
#define SCN_DIST_MAX_POINTS 64

/* scn_dist_kind_to_string: (transfer none) "constant", "uniform", ... */
const char *scn_dist_kind_to_string(ScnDistKind kind);

/* scn_dist_constant: a constant distribution of @ns (owns nothing). */
ScnDist scn_dist_constant(uint64_t ns);

/* scn_dist_mean_ns: the mean of @dist in ns; INFINITY for a pareto with
 * shape <= 1. For normal, the mean of the distribution truncated at 0. */
double scn_dist_mean_ns(const ScnDist *dist);

/* scn_dist_to_string: (transfer full) a one-line description with units, e.g.
 * "lognormal(median 78us, sigma 0.1089, p99 100us; mean 78.47us)". */
char *scn_dist_to_string(const ScnDist *dist);

/* scn_dist_copy: deep copy of @src into @dst (which owns nothing yet). */
void scn_dist_copy(ScnDist *dst, const ScnDist *src);

/* scn_dist_clear: frees what @dist owns and leaves it a constant 0. Accepts NULL. */
void scn_dist_clear(ScnDist *dist);
