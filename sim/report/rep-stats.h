/* Statistics over replications: the sample mean with a 95% Student-t
 * confidence interval, Student's t distribution (two-sided tail and quantile)
 * and Welch's unequal-variance t-test. Used by `pagesim sweep`, `compare --runs`
 * and `pagesim diff` to say how sure a mean is and whether two means differ.
 *
 * Everything is computed from the formulas (the regularized incomplete beta
 * function by its continued fraction), with no table, so any number of
 * replications works. Nothing here reads a file or the clock.
 */
#pragma once

#include <glib.h>

/* What a set of replications says about one metric. */
typedef struct {
    guint n;     /* replications */
    double mean; /* sample mean; NAN when n == 0 */
    double sd;   /* sample standard deviation (n - 1 denominator); NAN when n < 2 */
    double ci95; /* half-width of the 95% interval, t(0.975, n-1) * sd / sqrt(n); NAN when n < 2 */
} RepStatsSample;

/* rep_stats_summarize: fills @out from the @n values @x. */
void rep_stats_summarize(const double *x, guint n, RepStatsSample *out);

/* rep_stats_t_tail2: the two-sided tail P(|T| >= @t) of Student's t with @df
 * (> 0, not necessarily whole) degrees of freedom. Returns a value in [0, 1]. */
double rep_stats_t_tail2(double t, double df);

/* rep_stats_t_quantile: the q with P(T <= q) = @p for Student's t with @df
 * degrees of freedom, for 0.5 <= @p < 1 (e.g. 0.975 for a 95% interval).
 * Accurate to about 1e-10 relative. */
double rep_stats_t_quantile(double p, double df);

/* The outcome of Welch's t-test of two means. */
typedef struct {
    double t;             /* (mean_b - mean_a) / sqrt(var_a/n_a + var_b/n_b) */
    double df;            /* Welch-Satterthwaite degrees of freedom */
    double p;             /* two-sided p-value */
    gboolean significant; /* p < 0.05 */
} RepStatsWelch;

/* rep_stats_welch: tests whether the means of @a and @b differ.
 * Returns FALSE (and leaves @out alone) unless both have n >= 2. Two samples
 * without any spread are significant exactly when their means differ (p 0 or 1). */
gboolean rep_stats_welch(const RepStatsSample *a, const RepStatsSample *b, RepStatsWelch *out);
