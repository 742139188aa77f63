/* test-sim-dist.c: duration distributions against analytic means and quantiles.
 *
 * Sampling tests draw N = 200,000 samples from a fixed seed and compare:
 * - the sample mean with sim_dist_mean, within 5 standard errors (sample sd /
 *   sqrt(N)) plus 0.5 ns of rounding;
 * - the sample quantiles at p = 0.1, 0.5, 0.9, 0.99 with sim_dist_quantile,
 *   within 5 standard errors of a sample quantile, sqrt(p (1 - p) / N) / f(x_p),
 *   where 1 / f(x_p) = dQ/dp is taken numerically from sim_dist_quantile, plus 1 ns.
 * Five standard errors make a false failure very unlikely (and the seed is fixed),
 * while each tolerance is also asserted to be tight (mean within 2%, quantiles
 * within 5%, 8% for the p99 of pareto alpha 1.5), so a wrong parameterization (say sigma for
 * variance, or mean for median) fails. The analytic functions themselves are checked against closed
 * forms evaluated independently (Python's statistics.NormalDist, AS241). */
#include <glib.h>
#include <math.h>
#include <stdlib.h>

#include "sim/engine/sim-dist.h"

#define N 200000

typedef struct {
    const char *name;   /* Test path suffix. */
    SimDistKind kind;   /* Which constructor. */
    SimTime a, b;       /* Time parameters. */
    double x;           /* Dimensionless parameter (sigma, alpha). */
    gboolean test_mean; /* FALSE where the variance is infinite. */
    double tight;       /* Largest quantile tolerance allowed, relative. */
} Case;

static const SimDistPoint empirical_points[] = {{0, 1000},    {0.2, 2000},   {0.5, 2500},
                                                {0.85, 8000}, {0.98, 30000}, {1, 60000}};

static const Case cases[] = {
    {"uniform", SIM_DIST_UNIFORM, 1000, 3000, 0, TRUE, 0.05},
    {"exponential", SIM_DIST_EXPONENTIAL, 80000, 0, 0, TRUE, 0.05},
    {"normal", SIM_DIST_NORMAL, 100000, 20000, 0, TRUE, 0.05},
    {"normal-truncated", SIM_DIST_NORMAL, 10000, 10000, 0, TRUE, 0.05},
    {"normal-half", SIM_DIST_NORMAL, 0, 5000, 0, TRUE, 0.05},
    {"lognormal", SIM_DIST_LOGNORMAL, 50000, 0, 0.8, TRUE, 0.05},
    {"lognormal-p99", SIM_DIST_LOGNORMAL, 50000, 500000, 0, TRUE, 0.05},
    {"pareto", SIM_DIST_PARETO, 10000, 0, 3, TRUE, 0.05},
    {"pareto-heavy", SIM_DIST_PARETO, 10000, 0, 1.5, FALSE, 0.08},
    {"empirical", SIM_DIST_EMPIRICAL, 0, 0, 0, TRUE, 0.05},
};

static void build(const Case *c, SimDist *d) {
    g_autoptr(GError) error = NULL;
    gboolean ok = FALSE;
    switch (c->kind) {
        case SIM_DIST_UNIFORM:
            ok = sim_dist_init_uniform(d, c->a, c->b, &error);
            break;
        case SIM_DIST_EXPONENTIAL:
            ok = sim_dist_init_exponential(d, c->a, &error);
            break;
        case SIM_DIST_NORMAL:
            ok = sim_dist_init_normal(d, c->a, c->b, &error);
            break;
        case SIM_DIST_LOGNORMAL:
            ok = c->b ? sim_dist_init_lognormal_p99(d, c->a, c->b, &error)
                      : sim_dist_init_lognormal(d, c->a, c->x, &error);
            break;
        case SIM_DIST_PARETO:
            ok = sim_dist_init_pareto(d, c->a, c->x, &error);
            break;
        default:
            ok = sim_dist_init_empirical(d, empirical_points, G_N_ELEMENTS(empirical_points),
                                         &error);
            break;
    }
    g_assert_no_error(error);
    g_assert_true(ok);
}

static int cmp_time(const void *x, const void *y) {
    SimTime a = *(const SimTime *)x, b = *(const SimTime *)y;
    return (a > b) - (a < b);
}

static void check_quantile(const Case *c, const SimDist *d, const SimTime *sorted, double p) {
    double h = MIN(0.001, (1 - p) / 20);
    double slope = (sim_dist_quantile(d, p + h) - sim_dist_quantile(d, p - h)) / (2 * h);
    double tol = 5 * sqrt(p * (1 - p) / N) * slope + 1;
    double want = sim_dist_quantile(d, p);
    double got = (double)sorted[(gsize)ceil(p * N) - 1];
    g_test_message("p%.0f: want %.1f got %.1f tol %.1f", p * 100, want, got, tol);
    g_assert_cmpfloat(tol, <, c->tight * want + 1);
    g_assert_cmpfloat(fabs(got - want), <=, tol);
}

static void test_sampling(gconstpointer data) {
    const Case *c = data;
    SimDist d;
    build(c, &d);
    g_autoptr(SimRng) rng = sim_rng_new(2024, c->name);
    g_autofree SimTime *v = g_new(SimTime, N);
    double sum = 0, sum2 = 0;
    for (guint i = 0; i < N; i++) {
        v[i] = sim_dist_sample(&d, rng);
        sum += (double)v[i];
        sum2 += (double)v[i] * (double)v[i];
    }
    double mean = sum / N, sd = sqrt(fmax(0, sum2 / N - mean * mean));
    double want = sim_dist_mean(&d);
    double tol = 5 * sd / sqrt(N) + 0.5;
    g_test_message("mean: want %.1f got %.1f tol %.1f", want, mean, tol);
    if (c->test_mean) {
        g_assert_cmpfloat(tol, <, 0.02 * want);
        g_assert_cmpfloat(fabs(mean - want), <=, tol);
    }
    qsort(v, N, sizeof *v, cmp_time);
    static const double ps[] = {0.1, 0.5, 0.9, 0.99};
    for (guint i = 0; i < G_N_ELEMENTS(ps); i++)
        check_quantile(c, &d, v, ps[i]);
}

static void assert_near(double got, double want, double rel) {
    g_assert_cmpfloat(fabs(got - want), <=, rel * fabs(want) + 1e-300);
}

static void test_normal_quantile(void) {
    static const struct {
        double p, x;
    } known[] = {
        {0.975, 1.9599639845400536},    {0.99, 2.3263478740408408},    {1e-10, -6.361340902404056},
        {0.02425, -1.9729610513118845}, {0.97575, 1.9729610513118847}, {0.3, -0.5244005127080407},
        {1e-15, -7.941345326170995},    {0.999999, 4.753424308817089}, {0.75, 0.6744897501960817}};
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        assert_near(sim_normal_quantile(known[i].p), known[i].x, 1e-12);
    g_assert_cmpfloat(fabs(sim_normal_quantile(0.5)), <, 1e-15);
    for (double p = 1e-12; p < 0.5; p *= 3.7) {
        double q = 1 - p; /* Rounded; 1 - q is exact, the tail mass q really has. */
        assert_near(sim_normal_cdf(sim_normal_quantile(p)), p, 1e-12);
        assert_near(sim_normal_quantile(q), -sim_normal_quantile(1 - q), 1e-12);
    }
}

static void test_analytic(void) {
    SimDist d;
    g_assert_true(sim_dist_init_exponential(&d, 1000, NULL));
    assert_near(sim_dist_quantile(&d, 0.5), 693.1471805599452, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.99), 4605.170185988091, 1e-12);
    g_assert_true(sim_dist_init_uniform(&d, 100, 300, NULL));
    assert_near(sim_dist_quantile(&d, 0.1), 120, 1e-12);
    assert_near(sim_dist_mean(&d), 200, 1e-12);
    g_assert_true(sim_dist_init_normal(&d, 0, 100, NULL));
    assert_near(sim_dist_mean(&d), 79.78845608028654, 1e-10);
    assert_near(sim_dist_quantile(&d, 0.5), 67.44897501960817, 1e-10);
    assert_near(sim_dist_quantile(&d, 0), 0, 0);
    g_assert_true(sim_dist_init_normal(&d, 10000, 10000, NULL));
    assert_near(sim_dist_mean(&d), 12875.999709391785, 1e-10);
    g_assert_true(sim_dist_init_lognormal(&d, 1000, 0.5, NULL));
    assert_near(sim_dist_mean(&d), 1133.1484530668263, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.9), 1897.9527073347108, 1e-11);
    g_assert_true(sim_dist_init_lognormal_p99(&d, 1000, 10000, NULL));
    assert_near(sim_dist_quantile(&d, 0.99), 10000, 1e-9);
    g_assert_true(sim_dist_init_pareto(&d, 1000, 3, NULL));
    assert_near(sim_dist_mean(&d), 1500, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.5), 1259.9210498948732, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.99), 4641.588833612778, 1e-12);
    g_assert_true(sim_dist_init_pareto(&d, 1000, 1, NULL));
    g_assert_true(isinf(sim_dist_mean(&d)));
}

/* The exponential's inline sample is its quantile at the same uniform draw,
 * rounded half up to an integer ns and clamped to SIM_DIST_MAX_SAMPLE: a
 * second generator of the same seed gives the draws, rounded here with
 * floor. Means of 1 ns (many samples round to 0) and 2^62 ns (about 37%
 * clamp) reach both ends. */
static void test_exponential_exact(void) {
    static const SimTime means[] = {1, 3, 80000, SIM_DIST_MAX_SAMPLE};
    for (guint m = 0; m < G_N_ELEMENTS(means); m++) {
        SimDist d;
        g_assert_true(sim_dist_init_exponential(&d, means[m], NULL));
        g_autoptr(SimRng) a = sim_rng_new(99, "exact");
        g_autoptr(SimRng) b = sim_rng_new(99, "exact");
        guint zeros = 0, clamped = 0;
        for (guint i = 0; i < 20000; i++) {
            double q = sim_dist_quantile(&d, sim_rng_uniform_open(b));
            double r = floor(q + 0.5);
            SimTime want = r >= 0x1p62 ? SIM_DIST_MAX_SAMPLE : (SimTime)r;
            SimTime got = sim_dist_sample(&d, a);
            g_assert_cmpuint(got, ==, want);
            zeros += got == 0;
            clamped += got == SIM_DIST_MAX_SAMPLE;
        }
        g_assert_true(means[m] != 1 || zeros > 5000); /* P(sample < 0.5) = 39% */
        g_assert_true(means[m] != SIM_DIST_MAX_SAMPLE || clamped > 5000);
    }
}

static void test_empirical(void) {
    static const SimDistPoint pts[] = {{0, 0}, {0.5, 100}, {0.9, 200}, {1, 1000}};
    static const SimDistPoint jump[] = {{0, 10}, {0.5, 10}, {0.5, 20}, {1, 20}};
    SimDist d;
    g_assert_true(sim_dist_init_empirical(&d, pts, G_N_ELEMENTS(pts), NULL));
    assert_near(sim_dist_mean(&d), 145, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.7), 150, 1e-12);
    assert_near(sim_dist_quantile(&d, 0.95), 600, 1e-12);
    assert_near(sim_dist_quantile(&d, 1), 1000, 0);
    g_assert_true(sim_dist_init_empirical(&d, jump, G_N_ELEMENTS(jump), NULL));
    assert_near(sim_dist_quantile(&d, 0.5), 10, 0);
    assert_near(sim_dist_quantile(&d, 0.5001), 20, 0);
    assert_near(sim_dist_mean(&d), 15, 1e-12);
}

static void test_constant_and_bounds(void) {
    SimDist d;
    SimRng rng, before;
    sim_rng_init(&rng, 3, "bounds");
    g_assert_true(sim_dist_init_constant(&d, 5000, NULL));
    before = rng;
    g_assert_cmpuint(sim_dist_sample(&d, &rng), ==, 5000);
    g_assert_cmpmem(&before, sizeof before, &rng, sizeof rng); /* No draw. */
    g_autofree char *s = sim_dist_to_string(&d);
    g_assert_cmpstr(s, ==, "constant(5000ns)");
    /* A very heavy tail is clamped; rounding of uniform [0, 1] gives 0 or 1. */
    g_assert_true(sim_dist_init_pareto(&d, 1000000, 0.02, NULL));
    SimTime max = 0;
    for (guint i = 0; i < 10000; i++)
        max = MAX(max, sim_dist_sample(&d, &rng));
    g_assert_cmpuint(max, ==, SIM_DIST_MAX_SAMPLE);
    g_assert_true(sim_dist_init_uniform(&d, 0, 1, NULL));
    guint ones = 0;
    for (guint i = 0; i < 10000; i++) {
        SimTime x = sim_dist_sample(&d, &rng);
        g_assert_cmpuint(x, <=, 1);
        ones += (guint)x;
    }
    g_assert_cmpuint(ones, >, 4500);
    g_assert_cmpuint(ones, <, 5500);
}

static void test_invalid(void) {
    static const SimDistPoint bad_ends[] = {{0.1, 1}, {1, 2}};
    static const SimDistPoint bad_order[] = {{0, 5}, {0.5, 4}, {1, 6}};
    static const SimDistPoint bad_p[] = {{0, 1}, {0.6, 2}, {0.5, 3}, {1, 4}};
    SimDist d;
    gboolean results[] = {
        sim_dist_init_uniform(&d, 10, 9, NULL),
        sim_dist_init_exponential(&d, 0, NULL),
        sim_dist_init_normal(&d, 10, 0, NULL),
        sim_dist_init_lognormal(&d, 0, 1, NULL),
        sim_dist_init_lognormal(&d, 10, 0, NULL),
        sim_dist_init_lognormal(&d, 10, NAN, NULL),
        sim_dist_init_lognormal_p99(&d, 10, 10, NULL),
        sim_dist_init_pareto(&d, 0, 2, NULL),
        sim_dist_init_pareto(&d, 10, -1, NULL),
        sim_dist_init_empirical(&d, bad_ends, 2, NULL),
        sim_dist_init_empirical(&d, bad_order, 3, NULL),
        sim_dist_init_empirical(&d, bad_p, 4, NULL),
        sim_dist_init_empirical(&d, bad_p, 1, NULL),
    };
    for (guint i = 0; i < G_N_ELEMENTS(results); i++)
        g_assert_false(results[i]);
    g_autoptr(GError) error = NULL;
    g_assert_false(sim_dist_init_exponential(&d, 0, &error));
    g_assert_error(error, SIM_DIST_ERROR, SIM_DIST_ERROR_INVALID);
    g_assert_cmpint(sim_dist_get_kind(&d), ==, SIM_DIST_CONSTANT);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/sim/dist/sampling/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_sampling);
    }
    g_test_add_func("/sim/dist/normal-quantile", test_normal_quantile);
    g_test_add_func("/sim/dist/analytic", test_analytic);
    g_test_add_func("/sim/dist/exponential-exact", test_exponential_exact);
    g_test_add_func("/sim/dist/empirical", test_empirical);
    g_test_add_func("/sim/dist/constant-and-bounds", test_constant_and_bounds);
    g_test_add_func("/sim/dist/invalid", test_invalid);
    return g_test_run();
}
