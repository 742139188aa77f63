/* sim-dist.c: duration distributions by inverse transform.
 *
 * Parameters by kind (fields a, b, c of SimDist):
 *   constant: a = value.           uniform: a = lo, b = hi.
 *   exponential: a = mean.         normal: a = mean, b = stddev, c = Q(-a / b).
 *   lognormal: a = median, b = sigma.   pareto: a = xm, b = alpha.
 *   empirical: points[0 .. n_points).
 *
 * Invariants:
 * 1. Every constructed SimDist passed its constructor's checks, so quantile is
 *    non-decreasing in p and finite for p < 1.
 * 2. sample(u) == round(clamp(quantile(u))) for u = sim_rng_uniform_open(), so the
 *    tests of quantile also test sampling; constant alone draws nothing.
 * 3. For normal, c = P(Z > -mean / stddev) is in [0.5, 1], so the truncated
 *    quantile never divides by a vanishing tail mass. */
#include "sim/engine/sim-dist.h"

#include <math.h>

/* G_DEFINE_QUARK stringifies its first argument as written. */
/* clang-format off */
G_DEFINE_QUARK(sim-dist-error-quark, sim_dist_error)
/* clang-format on */

/* The 99th percentile of the standard normal distribution. */
#define Z99 2.3263478740408408

/* Acklam's coefficients for the central region and for the tails. */
static const double ack_a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
static const double ack_b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
static const double ack_c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
static const double ack_d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};

double sim_normal_cdf(double x) { return 0.5 * erfc(-x / G_SQRT2); }

/* Acklam's lower-tail approximation, for p < 0.02425 (upper tail by symmetry). */
static double acklam_tail(double p) {
    double q = sqrt(-2 * log(p));
    return (((((ack_c[0] * q + ack_c[1]) * q + ack_c[2]) * q + ack_c[3]) * q + ack_c[4]) * q +
            ack_c[5]) /
           ((((ack_d[0] * q + ack_d[1]) * q + ack_d[2]) * q + ack_d[3]) * q + 1);
}

/* Why: Acklam's approximation alone has a relative error of 1.15e-9; one Halley
 * step on Phi(x) - p, with Phi from erfc, brings it to double precision. The
 * upper tail is computed as the mirror of the lower one, so that 1 - p stays
 * exact when p is close to 1. */
double sim_normal_quantile(double p) {
    g_return_val_if_fail(p > 0 && p < 1, NAN);
    double x;
    if (p < 0.02425) {
        x = acklam_tail(p);
    } else if (p > 1 - 0.02425) {
        x = -acklam_tail(1 - p);
    } else {
        double q = p - 0.5, r = q * q;
        x = (((((ack_a[0] * r + ack_a[1]) * r + ack_a[2]) * r + ack_a[3]) * r + ack_a[4]) * r +
             ack_a[5]) *
            q /
            (((((ack_b[0] * r + ack_b[1]) * r + ack_b[2]) * r + ack_b[3]) * r + ack_b[4]) * r + 1);
    }
    double e = p < 0.5 ? sim_normal_cdf(x) - p : (1 - p) - 0.5 * erfc(x / G_SQRT2);
    double u = e * sqrt(2 * G_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

static gboolean fail(SimDist *dist, GError **error, const char *message) {
    *dist = (SimDist){.kind = SIM_DIST_CONSTANT};
    g_set_error_literal(error, SIM_DIST_ERROR, SIM_DIST_ERROR_INVALID, message);
    return FALSE;
}

gboolean sim_dist_init_constant(SimDist *dist, SimTime value, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (value > SIM_DIST_MAX_SAMPLE)
        return fail(dist, error, "constant: value must be at most 2^62 ns");
    *dist = (SimDist){.kind = SIM_DIST_CONSTANT, .a = (double)value};
    return TRUE;
}

gboolean sim_dist_init_uniform(SimDist *dist, SimTime lo, SimTime hi, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (lo > hi)
        return fail(dist, error, "uniform: lo must not exceed hi");
    *dist = (SimDist){.kind = SIM_DIST_UNIFORM, .a = (double)lo, .b = (double)hi};
    return TRUE;
}

gboolean sim_dist_init_exponential(SimDist *dist, SimTime mean, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (mean == 0)
        return fail(dist, error, "exponential: mean must be > 0 ns");
    *dist = (SimDist){.kind = SIM_DIST_EXPONENTIAL, .a = (double)mean};
    return TRUE;
}

gboolean sim_dist_init_normal(SimDist *dist, SimTime mean, SimTime stddev, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (stddev == 0)
        return fail(dist, error, "normal: stddev must be > 0 ns");
    double mu = (double)mean, sigma = (double)stddev;
    *dist = (SimDist){.kind = SIM_DIST_NORMAL, .a = mu, .b = sigma};
    dist->c = 1 - sim_normal_cdf(-mu / sigma);
    return TRUE;
}

gboolean sim_dist_init_lognormal(SimDist *dist, SimTime median, double sigma, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (median == 0)
        return fail(dist, error, "lognormal: median must be > 0 ns");
    if (!(sigma > 0 && sigma <= 20))
        return fail(dist, error, "lognormal: sigma must be in (0, 20]");
    *dist = (SimDist){.kind = SIM_DIST_LOGNORMAL, .a = (double)median, .b = sigma};
    return TRUE;
}

gboolean sim_dist_init_lognormal_p99(SimDist *dist, SimTime median, SimTime p99, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (median == 0 || p99 <= median)
        return fail(dist, error, "lognormal: need 0 < median < p99");
    return sim_dist_init_lognormal(dist, median, log((double)p99 / (double)median) / Z99, error);
}

gboolean sim_dist_init_pareto(SimDist *dist, SimTime xm, double alpha, GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    if (xm == 0)
        return fail(dist, error, "pareto: scale xm must be > 0 ns");
    if (!(alpha > 0 && isfinite(alpha)))
        return fail(dist, error, "pareto: shape alpha must be > 0");
    *dist = (SimDist){.kind = SIM_DIST_PARETO, .a = (double)xm, .b = alpha};
    return TRUE;
}

/* Returns NULL if @points form a valid quantile table, else what is wrong. */
static const char *check_points(const SimDistPoint *points, guint n) {
    if (n < 2 || n > SIM_DIST_EMPIRICAL_MAX)
        return "empirical: need between 2 and 64 points";
    if (points[0].p != 0 || points[n - 1].p != 1)
        return "empirical: the first point must have p = 0 and the last p = 1";
    for (guint i = 1; i < n; i++) {
        if (!(points[i].p >= points[i - 1].p))
            return "empirical: p must be non-decreasing";
        if (points[i].value < points[i - 1].value)
            return "empirical: values must be non-decreasing";
        if (points[i].value > SIM_DIST_MAX_SAMPLE)
            return "empirical: values must be at most 2^62 ns";
    }
    return NULL;
}

gboolean sim_dist_init_empirical(SimDist *dist, const SimDistPoint *points, guint n_points,
                                 GError **error) {
    g_return_val_if_fail(dist != NULL, FALSE);
    g_return_val_if_fail(points != NULL || n_points == 0, FALSE);
    const char *problem = check_points(points, n_points);
    if (problem != NULL)
        return fail(dist, error, problem);
    *dist = (SimDist){.kind = SIM_DIST_EMPIRICAL, .n_points = n_points};
    for (guint i = 0; i < n_points; i++)
        dist->points[i] = points[i];
    return TRUE;
}

/* Linear interpolation in the first segment [p_i, p_i+1] with p <= p_i+1. */
static double empirical_quantile(const SimDist *d, double p) {
    guint lo = 0, hi = d->n_points - 1;
    while (hi - lo > 1) {
        guint mid = (lo + hi) / 2;
        if (d->points[mid].p < p)
            lo = mid;
        else
            hi = mid;
    }
    const SimDistPoint *x = &d->points[lo], *y = &d->points[hi];
    double span = y->p - x->p;
    double t = span > 0 ? (p - x->p) / span : 1;
    return (double)x->value + t * ((double)y->value - (double)x->value);
}

/* Why: the normal is truncated by conditioning on X >= 0, whose quantile is
 * mean - stddev * Phi^-1((1 - p) * c); the argument of Phi^-1 lies in the
 * accurate lower tail for every p, unlike Phi^-1(Phi(a) + p * (1 - Phi(a))). */
static double normal_quantile(const SimDist *d, double p) {
    double q = (1 - p) * d->c;
    if (q <= 0)
        return INFINITY;
    if (q >= 1)
        return 0;
    return fmax(0, d->a - d->b * sim_normal_quantile(q));
}

static double quantile(const SimDist *d, double p) {
    switch (d->kind) {
        case SIM_DIST_CONSTANT:
            return d->a;
        case SIM_DIST_UNIFORM:
            return d->a + p * (d->b - d->a);
        case SIM_DIST_EXPONENTIAL:
            return -d->a * log1p(-p);
        case SIM_DIST_NORMAL:
            return normal_quantile(d, p);
        case SIM_DIST_LOGNORMAL:
            return p <= 0 ? 0 : p >= 1 ? INFINITY : d->a * exp(d->b * sim_normal_quantile(p));
        case SIM_DIST_PARETO:
            return d->a * pow(1 - p, -1 / d->b);
        case SIM_DIST_EMPIRICAL:
            return empirical_quantile(d, p);
        default:
            g_assert_not_reached();
    }
}

/* The kinds sim_dist_sample leaves to a call (it inlines the exponential and
 * the constant, so neither reaches here), and its refusal of a NULL argument. */
SimTime sim__dist_sample_slow(const SimDist *dist, SimRng *rng) {
    g_return_val_if_fail(dist != NULL && rng != NULL, 0);
    return sim__dist_round(quantile(dist, sim_rng_uniform_open(rng)));
}

double sim_dist_quantile(const SimDist *dist, double p) {
    g_return_val_if_fail(dist != NULL, NAN);
    g_return_val_if_fail(p >= 0 && p <= 1, NAN);
    return quantile(dist, p);
}

static double empirical_mean(const SimDist *d) {
    double sum = 0;
    for (guint i = 1; i < d->n_points; i++) {
        const SimDistPoint *x = &d->points[i - 1], *y = &d->points[i];
        sum += (y->p - x->p) * ((double)x->value + (double)y->value) / 2;
    }
    return sum;
}

double sim_dist_mean(const SimDist *dist) {
    g_return_val_if_fail(dist != NULL, NAN);
    const SimDist *d = dist;
    switch (d->kind) {
        case SIM_DIST_CONSTANT:
        case SIM_DIST_EXPONENTIAL:
            return d->a;
        case SIM_DIST_UNIFORM:
            return (d->a + d->b) / 2;
        case SIM_DIST_NORMAL: {
            double alpha = -d->a / d->b;
            double pdf = exp(-alpha * alpha / 2) / sqrt(2 * G_PI);
            return d->a + d->b * pdf / d->c;
        }
        case SIM_DIST_LOGNORMAL:
            return d->a * exp(d->b * d->b / 2);
        case SIM_DIST_PARETO:
            return d->b > 1 ? d->b * d->a / (d->b - 1) : INFINITY;
        case SIM_DIST_EMPIRICAL:
            return empirical_mean(d);
        default:
            g_return_val_if_reached(NAN);
    }
}

SimDistKind sim_dist_get_kind(const SimDist *dist) {
    g_return_val_if_fail(dist != NULL, SIM_DIST_CONSTANT);
    return dist->kind;
}

const char *sim_dist_kind_to_string(SimDistKind kind) {
    static const char *const names[SIM_DIST_KIND_COUNT] = {
        [SIM_DIST_CONSTANT] = "constant",       [SIM_DIST_UNIFORM] = "uniform",
        [SIM_DIST_EXPONENTIAL] = "exponential", [SIM_DIST_NORMAL] = "normal",
        [SIM_DIST_LOGNORMAL] = "lognormal",     [SIM_DIST_PARETO] = "pareto",
        [SIM_DIST_EMPIRICAL] = "empirical",
    };
    g_return_val_if_fail(kind < SIM_DIST_KIND_COUNT, "invalid");
    return names[kind];
}

char *sim_dist_to_string(const SimDist *dist) {
    g_return_val_if_fail(dist != NULL, NULL);
    const char *name = sim_dist_kind_to_string(dist->kind);
    switch (dist->kind) {
        case SIM_DIST_CONSTANT:
            return g_strdup_printf("%s(%.0fns)", name, dist->a);
        case SIM_DIST_UNIFORM:
            return g_strdup_printf("%s(lo=%.0fns, hi=%.0fns)", name, dist->a, dist->b);
        case SIM_DIST_EXPONENTIAL:
            return g_strdup_printf("%s(mean=%.0fns)", name, dist->a);
        case SIM_DIST_NORMAL:
            return g_strdup_printf("%s(mean=%.0fns, stddev=%.0fns)", name, dist->a, dist->b);
        case SIM_DIST_LOGNORMAL:
            return g_strdup_printf("%s(median=%.0fns, sigma=%.6g)", name, dist->a, dist->b);
        case SIM_DIST_PARETO:
            return g_strdup_printf("%s(xm=%.0fns, alpha=%.6g)", name, dist->a, dist->b);
        default:
            return g_strdup_printf("%s(%u points)", name, dist->n_points);
    }
}
