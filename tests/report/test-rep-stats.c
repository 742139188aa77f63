/* Replication statistics against values computed independently: Student-t
 * quantiles from published tables, closed forms of the t tail for 1 and 2
 * degrees of freedom, a sample whose mean and spread are worked out by hand, and
 * a Welch test whose p-value was integrated numerically from the t density
 * (Simpson's rule, 200,000 steps, in a separate script). */
#include <math.h>

#include "sim/report/rep-stats.h"

static void test_quantiles(void) {
    /* Two-sided 95% critical values (0.975 quantiles), from t tables. */
    static const struct {
        double df, q;
    } table[] = {{1, 12.7062047}, {2, 4.3026527},  {4, 2.7764451},  {9, 2.2621572},
                 {19, 2.0930241}, {29, 2.0452296}, {100, 1.9839715}};
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        g_assert_cmpfloat_with_epsilon(rep_stats_t_quantile(0.975, table[i].df), table[i].q, 1e-6);
    g_assert_cmpfloat_with_epsilon(rep_stats_t_quantile(0.95, 10), 1.8124611, 1e-6);
    g_assert_cmpfloat_with_epsilon(rep_stats_t_quantile(0.5, 7), 0.0, 1e-9);
}

static void test_tail_closed_forms(void) {
    /* df 1 is Cauchy: P(|T| >= t) = 1 - 2 atan(t) / pi. */
    g_assert_cmpfloat_with_epsilon(rep_stats_t_tail2(1.0, 1), 0.5, 1e-12);
    g_assert_cmpfloat_with_epsilon(rep_stats_t_tail2(3.0, 1), 1 - 2 * atan(3.0) / G_PI, 1e-12);
    /* df 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2). */
    g_assert_cmpfloat_with_epsilon(rep_stats_t_tail2(1.0, 2), 1 - 1 / sqrt(3.0), 1e-12);
    g_assert_cmpfloat_with_epsilon(rep_stats_t_tail2(5.0, 2), 1 - 5 / sqrt(27.0), 1e-12);
    g_assert_cmpfloat(rep_stats_t_tail2(0.0, 5), ==, 1.0);
    g_assert_cmpfloat(rep_stats_t_tail2(INFINITY, 5), ==, 0.0);
    g_assert_cmpfloat_with_epsilon(rep_stats_t_tail2(-2.2621572, 9), 0.05, 1e-7);
}

static void test_summarize(void) {
    /* 2 4 4 4 5 5 7 9: mean 5, squares about it 32, sd sqrt(32/7); t(0.975, 7)
     * is 2.3646243 (tables). */
    static const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    RepStatsSample s;
    rep_stats_summarize(x, 8, &s);
    g_assert_cmpuint(s.n, ==, 8);
    g_assert_cmpfloat(s.mean, ==, 5.0);
    g_assert_cmpfloat_with_epsilon(s.sd, sqrt(32.0 / 7.0), 1e-12);
    g_assert_cmpfloat_with_epsilon(s.ci95, 2.3646243 * sqrt(32.0 / 7.0) / sqrt(8.0), 1e-6);
    rep_stats_summarize(x, 1, &s);
    g_assert_cmpfloat(s.mean, ==, 2.0);
    g_assert_true(isnan(s.sd) && isnan(s.ci95));
    rep_stats_summarize(x, 0, &s);
    g_assert_true(isnan(s.mean));
}

static void test_welch(void) {
    /* a = 1..5 (mean 3, var 2.5), b = 2, 4, ..., 10 (mean 6, var 10):
     * t = 3 / sqrt(0.5 + 2), df = 2.5^2 / (0.5^2/4 + 2^2/4) = 6.25 / 1.0625. */
    static const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10};
    RepStatsSample sa, sb;
    rep_stats_summarize(a, 5, &sa);
    rep_stats_summarize(b, 5, &sb);
    RepStatsWelch w;
    g_assert_true(rep_stats_welch(&sa, &sb, &w));
    g_assert_cmpfloat_with_epsilon(w.t, 3 / sqrt(2.5), 1e-12);
    g_assert_cmpfloat_with_epsilon(w.df, 6.25 / 1.0625, 1e-12);
    g_assert_cmpfloat_with_epsilon(w.p, 0.1075311949, 1e-8);
    g_assert_false(w.significant);
    /* Ten times as many replications of the same spread: now significant. */
    sa.n = sb.n = 50;
    sa.ci95 = sb.ci95 = NAN;
    g_assert_true(rep_stats_welch(&sa, &sb, &w));
    g_assert_true(w.significant);
    g_assert_cmpfloat(w.p, <, 0.05);
    /* No spread: significant exactly when the means differ. */
    static const double c[] = {4, 4, 4}, d[] = {5, 5, 5};
    RepStatsSample sc, sd;
    rep_stats_summarize(c, 3, &sc);
    rep_stats_summarize(d, 3, &sd);
    g_assert_true(rep_stats_welch(&sc, &sd, &w));
    g_assert_true(w.significant);
    g_assert_cmpfloat(w.p, ==, 0.0);
    g_assert_true(rep_stats_welch(&sc, &sc, &w));
    g_assert_false(w.significant);
    g_assert_cmpfloat(w.p, ==, 1.0);
    /* One replication gives no test. */
    rep_stats_summarize(c, 1, &sc);
    g_assert_false(rep_stats_welch(&sc, &sd, &w));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/stats/t-quantiles", test_quantiles);
    g_test_add_func("/report/stats/t-tail-closed-forms", test_tail_closed_forms);
    g_test_add_func("/report/stats/summarize", test_summarize);
    g_test_add_func("/report/stats/welch", test_welch);
    return g_test_run();
}
