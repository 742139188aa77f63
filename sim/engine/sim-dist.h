/* sim-dist.h: distributions of durations (SimTime, ns).
 *
 * A SimDist is a plain value (kind plus parameters, copyable by assignment)
 * built by one validating constructor per kind. Every kind except constant is
 * sampled by inverse transform: one uniform draw u in (0, 1) from the caller's
 * SimRng, then the analytic quantile at u, rounded to the nearest ns and clamped
 * to [0, SIM_DIST_MAX_SAMPLE]; constant draws nothing. So sim_dist_quantile is
 * exactly the distribution that sim_dist_sample draws from (before rounding).
 * Kinds and parameters:
 * - constant(value);
 * - uniform[lo, hi], continuous, so lo and hi each get half weight after rounding;
 * - exponential(mean);
 * - normal(mean, stddev) truncated at 0 by conditioning (the textbook "resample
 *   until >= 0", done in one draw through the truncated quantile
 *   mean - stddev * Phi^-1((1 - p) * Q(-mean / stddev)), exact in the far tail);
 * - lognormal(median, sigma): median * exp(sigma * Z); or by (median, p99) with
 *   sigma = ln(p99 / median) / 2.326348 (the 99th percentile of Z);
 * - pareto(xm, alpha): xm * (1 - p)^(-1 / alpha); mean alpha * xm / (alpha - 1)
 *   for alpha > 1, infinite otherwise;
 * - empirical: quantile points (p, value) from p = 0 to p = 1, p and value both
 *   non-decreasing, linear interpolation between points (equal p makes a jump). */
#pragma once

#include <glib.h>
#include <math.h>
#include <stdint.h>

#include "sim/engine/sim-rng.h"
#include "sim/engine/sim-time.h"

G_BEGIN_DECLS

#define SIM_DIST_ERROR (sim_dist_error_quark())
GQuark sim_dist_error_quark(void);

/* Error codes in SIM_DIST_ERROR. */
typedef enum {
    SIM_DIST_ERROR_INVALID, /* A parameter is out of range; the message says which. */
} SimDistError;

typedef enum {
    SIM_DIST_CONSTANT,
    SIM_DIST_UNIFORM,
    SIM_DIST_EXPONENTIAL,
    SIM_DIST_NORMAL,
    SIM_DIST_LOGNORMAL,
    SIM_DIST_PARETO,
    SIM_DIST_EMPIRICAL,
    SIM_DIST_KIND_COUNT
} SimDistKind;

/* Largest sample returned (2^62 ns, about 146 years), so now + sample never
 * overflows. */
#define SIM_DIST_MAX_SAMPLE ((SimTime)1 << 62)
/* Most points an empirical distribution may have. */
#define SIM_DIST_EMPIRICAL_MAX 64

/* One quantile point of an empirical distribution. */
typedef struct {
    double p;      /* Cumulative probability, in [0, 1]. */
    SimTime value; /* The quantile at p, ns. */
} SimDistPoint;

typedef struct {
    /*< private >*/
    SimDistKind kind;                            /* Which family. */
    double a, b, c;                              /* Parameters (see sim-dist.c). */
    guint n_points;                              /* Empirical points used. */
    SimDistPoint points[SIM_DIST_EMPIRICAL_MAX]; /* Empirical points. */
} SimDist;

/* The constructors initialize @dist (out, caller-allocated).
 * Each returns TRUE on success.
 * Each returns FALSE with @error set (SIM_DIST_ERROR_INVALID) if a parameter is
 * out of range; @dist is then left as constant 0. */
gboolean sim_dist_init_constant(SimDist *dist, SimTime value, GError **error);
/* @lo <= @hi. */
gboolean sim_dist_init_uniform(SimDist *dist, SimTime lo, SimTime hi, GError **error);
/* @mean > 0. */
gboolean sim_dist_init_exponential(SimDist *dist, SimTime mean, GError **error);
/* @stddev > 0; @mean is the mean before truncation. */
gboolean sim_dist_init_normal(SimDist *dist, SimTime mean, SimTime stddev, GError **error);
/* @median > 0, 0 < @sigma <= 20. */
gboolean sim_dist_init_lognormal(SimDist *dist, SimTime median, double sigma, GError **error);
/* 0 < @median < @p99. */
gboolean sim_dist_init_lognormal_p99(SimDist *dist, SimTime median, SimTime p99, GError **error);
/* @xm > 0, @alpha > 0. */
gboolean sim_dist_init_pareto(SimDist *dist, SimTime xm, double alpha, GError **error);
/* 2 <= @n_points <= SIM_DIST_EMPIRICAL_MAX; @points (in, copied) as described
 * above: the first p is 0, the last 1, p and value non-decreasing. */
gboolean sim_dist_init_empirical(SimDist *dist, const SimDistPoint *points, guint n_points,
                                 GError **error);

/* sim__dist_sample_slow: sim_dist_sample for the kinds it does not inline
 * (and for its refusals). Not for use outside sim-dist.h. */
SimTime sim__dist_sample_slow(const SimDist *dist, SimRng *rng);

/* sim__dist_round: a quantile @x rounded to the nearest ns and clamped to
 * [0, SIM_DIST_MAX_SAMPLE]. Why through int64_t: @x is then below 2^62 + 1,
 * where the signed conversion is exact and the same as the unsigned one,
 * which needs a range test more. */
static inline SimTime sim__dist_round(double x) {
    if (!(x > 0))
        return 0;
    if (x >= (double)SIM_DIST_MAX_SAMPLE)
        return SIM_DIST_MAX_SAMPLE;
    return (SimTime)(int64_t)(x + 0.5);
}

/* sim__dist_round_negated: sim__dist_round(-@y) for a @y known to be < 0
 * (not NaN), without the test for 0: -y >= MAX is y <= -MAX, and -y + 0.5 is
 * 0.5 - y, bit for bit. */
static inline SimTime sim__dist_round_negated(double y) {
    if (G_LIKELY(y > -(double)SIM_DIST_MAX_SAMPLE))
        return (SimTime)(int64_t)(0.5 - y);
    return SIM_DIST_MAX_SAMPLE;
}

/* sim_dist_sample:
 * Returns one sample, rounded to the nearest ns, in [0, SIM_DIST_MAX_SAMPLE].
 * Draws exactly one value from @rng, none for constant. O(1) (O(log points) for
 * empirical). Why inline: the exponential is the draw of every latency and
 * arrival, and a constant the think time of most closed workloads; the call,
 * its frame and the kind's switch were half the cost of such a sample. The
 * exponential is sim_dist_quantile's -a * log1p(-u), bit for bit, computed
 * as the rounding of -(a * log1p(-u)) with -u drawn as such: IEEE products
 * are symmetric in sign, so no value is negated, and a is read after the
 * call, not kept across it. The value is > 0 (a, the mean, is >= 1 ns; log1p(-u) < 0
 * for u in (0, 1)), so its rounding needs no test for 0. */
static inline SimTime sim_dist_sample(const SimDist *dist, SimRng *rng) {
    if (G_LIKELY(dist != NULL && rng != NULL)) {
        if (G_LIKELY(dist->kind == SIM_DIST_EXPONENTIAL)) {
            double l = log1p(sim__rng_uniform_open_neg(rng)); /* a is read after it */
            return sim__dist_round_negated(dist->a * l);
        }
        if (dist->kind == SIM_DIST_CONSTANT)
            return (SimTime)(int64_t)dist->a;
    }
    return sim__dist_sample_slow(dist, rng);
}

/* sim_dist_mean:
 * Returns the analytic mean in ns (before rounding); INFINITY for pareto with
 * alpha <= 1. */
double sim_dist_mean(const SimDist *dist);

/* sim_dist_quantile:
 * Returns the analytic quantile at @p in [0, 1], in ns (before rounding); may be
 * INFINITY at p = 1. */
double sim_dist_quantile(const SimDist *dist, double p);

/* sim_dist_get_kind:
 * Returns the family of @dist. */
SimDistKind sim_dist_get_kind(const SimDist *dist);

/* sim_dist_to_string:
 * Returns (transfer full) a description such as "exponential(mean=80000ns)". */
char *sim_dist_to_string(const SimDist *dist);

/* sim_dist_kind_to_string:
 * Returns (transfer none) "constant", "uniform", "exponential", "normal",
 * "lognormal", "pareto" or "empirical". */
const char *sim_dist_kind_to_string(SimDistKind kind);

/* sim_normal_quantile:
 * Returns Phi^-1(@p) for @p in (0, 1): Acklam's rational approximation refined
 * by one Halley step, absolute error below 1e-12 for |result| < 8. */
double sim_normal_quantile(double p);

/* sim_normal_cdf:
 * Returns Phi(@x), the standard normal CDF, via erfc. */
double sim_normal_cdf(double x);

G_END_DECLS
