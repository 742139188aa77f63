/* Replication statistics: the mean and Student-t interval, the t distribution,
 * and Welch's test (see rep-stats.h).
 *
 * The t distribution's tail comes from the regularized incomplete beta function:
 * P(|T| >= t) = I_x(df/2, 1/2) with x = df / (df + t^2). I_x(a, b) is evaluated
 * by its continued fraction (modified Lentz), directly where it converges fast,
 * x < (a + 1) / (a + b + 2), and through I_x(a, b) = 1 - I_{1-x}(b, a) elsewhere.
 * The quantile inverts the tail by bisection, which cannot fail to converge.
 *
 * Invariants:
 *  1. rep_stats_t_tail2 is non-increasing in |t| and lies in [0, 1];
 *  2. a sample of fewer than two values has NAN spread and interval.
 */
#include "sim/report/rep-stats.h"

#include <math.h>

#define CF_MAX_TERMS 400
#define CF_EPS       1e-15
#define CF_TINY      1e-300

/* The continued fraction of I_x(a, b) without its prefactor. */
static double beta_cf(double a, double b, double x) {
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < CF_TINY)
        d = CF_TINY;
    d = 1.0 / d;
    double f = d;
    for (int m = 1; m <= CF_MAX_TERMS; m++) {
        for (int half = 0; half < 2; half++) {
            double num = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1.0 + num * d;
            d = fabs(d) < CF_TINY ? 1.0 / CF_TINY : 1.0 / d;
            c = 1.0 + num / c;
            if (fabs(c) < CF_TINY)
                c = CF_TINY;
            f *= c * d;
            if (half == 1 && fabs(c * d - 1.0) < CF_EPS)
                return f;
        }
    }
    return f;
}

/* The regularized incomplete beta function I_x(a, b) for 0 <= x <= 1. */
static double inc_beta(double a, double b, double x) {
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double ln_front = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(ln_front) * beta_cf(a, b, x) / a;
    return 1.0 - exp(ln_front) * beta_cf(b, a, 1.0 - x) / b;
}

double rep_stats_t_tail2(double t, double df) {
    g_return_val_if_fail(df > 0, NAN);
    if (isinf(t))
        return 0.0;
    double p = inc_beta(df / 2.0, 0.5, df / (df + t * t));
    return CLAMP(p, 0.0, 1.0);
}

double rep_stats_t_quantile(double p, double df) {
    g_return_val_if_fail(p >= 0.5 && p < 1.0 && df > 0, NAN);
    double tail = 2.0 * (1.0 - p), lo = 0.0, hi = 1.0;
    while (rep_stats_t_tail2(hi, df) > tail)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = (lo + hi) / 2.0;
        if (rep_stats_t_tail2(mid, df) > tail)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2.0;
}

void rep_stats_summarize(const double *x, guint n, RepStatsSample *out) {
    *out = (RepStatsSample){.n = n, .mean = NAN, .sd = NAN, .ci95 = NAN};
    if (n == 0)
        return;
    double sum = 0.0;
    for (guint i = 0; i < n; i++)
        sum += x[i];
    out->mean = sum / n;
    if (n < 2)
        return;
    double ss = 0.0;
    for (guint i = 0; i < n; i++)
        ss += (x[i] - out->mean) * (x[i] - out->mean);
    out->sd = sqrt(ss / (n - 1));
    out->ci95 = rep_stats_t_quantile(0.975, n - 1) * out->sd / sqrt(n);
}

gboolean rep_stats_welch(const RepStatsSample *a, const RepStatsSample *b, RepStatsWelch *out) {
    if (a->n < 2 || b->n < 2)
        return FALSE;
    double va = a->sd * a->sd / a->n, vb = b->sd * b->sd / b->n, diff = b->mean - a->mean;
    if (va + vb == 0.0) {
        gboolean differ = diff != 0.0;
        *out = (RepStatsWelch){.t = differ ? copysign(INFINITY, diff) : 0.0,
                               .df = a->n + b->n - 2.0,
                               .p = differ ? 0.0 : 1.0,
                               .significant = differ};
        return TRUE;
    }
    out->t = diff / sqrt(va + vb);
    out->df = (va + vb) * (va + vb) / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
    out->p = rep_stats_t_tail2(out->t, out->df);
    out->significant = out->p < 0.05;
    return TRUE;
}
