/* Unit tests of distributions: every form the format accepts, the derived
 * parameters and means, the one-line descriptions, and the checks that relate
 * several keys. Each distribution is loaded as the latency of a pager. */
#include "sim/scenario/scn-scenario.h"

#include <math.h>
#include <string.h>

/* Loads a scenario whose only provider has @latency (JSON text). */
static ScnScenario *load_latency(const char *latency, GError **error) {
    g_autofree char *text = g_strdup_printf(
        "{\"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"latency\": %s}]}", latency);
    return scn_scenario_load_data(text, strlen(text), "dist.json", NULL, error);
}

/* Loads @latency, which must be valid, and checks its description. */
static ScnScenario *check_latency(const char *latency, const char *described) {
    g_autoptr(GError) error = NULL;
    ScnScenario *sc = load_latency(latency, &error);
    g_autofree char *s = NULL;

    g_assert_no_error(error);
    g_assert_nonnull(sc);
    s = scn_dist_to_string(&sc->providers[0].latency);
    g_assert_cmpstr(s, ==, described);
    return sc;
}

/* The three spellings of a constant are the same distribution. */
static void test_constant(void) {
    static const char *const forms[] = {"\"8us\"", "8000",
                                        "{\"dist\": \"constant\", \"value\": "
                                        "\"8us\"}"};

    for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
        g_autoptr(ScnScenario) sc = check_latency(forms[i], "constant(8us)");
        const ScnDist *d = &sc->providers[0].latency;

        g_assert_cmpint(d->kind, ==, SCN_DIST_CONSTANT);
        g_assert_cmpuint(d->value_ns, ==, 8000);
        g_assert_cmpfloat(scn_dist_mean_ns(d), ==, 8000.0);
    }
}

/* Uniform keeps both bounds. */
static void test_uniform(void) {
    g_autoptr(ScnScenario) sc =
        check_latency("{\"dist\": \"uniform\", \"min\": \"50us\", \"max\": \"150us\"}",
                      "uniform(50us..150us; mean 100us)");
    const ScnDist *d = &sc->providers[0].latency;

    g_assert_cmpint(d->kind, ==, SCN_DIST_UNIFORM);
    g_assert_cmpuint(d->min_ns, ==, 50000);
    g_assert_cmpuint(d->max_ns, ==, 150000);
}

/* Exponential keeps its mean. */
static void test_exponential(void) {
    g_autoptr(ScnScenario) sc =
        check_latency("{\"dist\": \"exponential\", \"mean\": \"80us\"}", "exponential(mean 80us)");
    g_assert_cmpint(sc->providers[0].latency.kind, ==, SCN_DIST_EXPONENTIAL);
    g_assert_cmpuint(sc->providers[0].latency.mean_ns, ==, 80000);
}

static void test_normal(void) {
    g_autoptr(ScnScenario) sc =
        check_latency("{\"dist\": \"normal\", \"mean\": \"0ns\", \"stddev\": \"1ms\"}",
                      "normal(mean 0ns, stddev 1ms; mean 797.885us)");
    const ScnDist *d = &sc->providers[0].latency;

    /* Truncated at 0, a centred normal has mean stddev * sqrt(2 / pi). */
    g_assert_cmpfloat_with_epsilon(scn_dist_mean_ns(d), 1e6 * sqrt(2.0 / G_PI), 1e-3);
    g_assert_cmpuint(d->stddev_ns, ==, 1000000);
}

static void test_lognormal(void) {
    g_autoptr(ScnScenario) a =
        check_latency("{\"dist\": \"lognormal\", \"median\": \"78us\", \"sigma\": 0.5}",
                      "lognormal(median 78us, sigma 0.5; mean 88.386us)");
    g_autoptr(ScnScenario) b =
        check_latency("{\"dist\": \"lognormal\", \"median\": \"78us\", \"p99\": \"100us\"}",
                      "lognormal(median 78us, p99 100us, sigma 0.1068; mean 78.446us)");
    const ScnDist *da = &a->providers[0].latency, *db = &b->providers[0].latency;

    g_assert_cmpfloat(da->sigma, ==, 0.5);
    g_assert_cmpuint(da->p99_ns, ==, 0);
    g_assert_cmpuint(db->p99_ns, ==, 100000);
    g_assert_cmpfloat_with_epsilon(db->sigma, log(100.0 / 78.0) / SCN_Z99, 1e-12);
    /* The derived sigma puts the 99th percentile back at p99. */
    g_assert_cmpfloat_with_epsilon(78000.0 * exp(SCN_Z99 * db->sigma), 100000.0, 1e-6);
}

/* Pareto: finite mean above shape 1, infinite at or below. */
static void test_pareto(void) {
    g_autoptr(ScnScenario) a =
        check_latency("{\"dist\": \"pareto\", \"scale\": \"50us\", \"shape\": 2.5}",
                      "pareto(scale 50us, shape 2.5; mean 83.333us)");
    g_autoptr(ScnScenario) b =
        check_latency("{\"dist\": \"pareto\", \"scale\": \"50us\", \"shape\": 1}",
                      "pareto(scale 50us, shape 1; mean infinite)");

    g_assert_cmpuint(a->providers[0].latency.scale_ns, ==, 50000);
    g_assert_true(isinf(scn_dist_mean_ns(&b->providers[0].latency)));
}

/* Empirical points are kept, copied deeply and freed by clear. */
static void test_empirical(void) {
    g_autoptr(ScnScenario) sc = check_latency(
        "{\"dist\": \"empirical\", \"points\": [[0, \"60us\"], [0.5, \"80us\"], [1, \"100us\"]]}",
        "empirical(0 60us, 0.5 80us, 1 100us; mean 80us)");
    const ScnDist *d = &sc->providers[0].latency;
    ScnDist copy;

    g_assert_cmpuint(d->n_points, ==, 3);
    g_assert_cmpfloat(d->points[1].p, ==, 0.5);
    g_assert_cmpuint(d->points[2].ns, ==, 100000);
    scn_dist_copy(&copy, d);
    g_assert_true(copy.points != d->points);
    g_assert_cmpuint(copy.points[2].ns, ==, 100000);
    scn_dist_clear(&copy);
    g_assert_null(copy.points);
    g_assert_cmpint(copy.kind, ==, SCN_DIST_CONSTANT);
}

/* Checks that relate several keys, and type errors, with exact messages. */
static void test_bad(void) {
    static const struct {
        const char *latency;
        ScnError code;
        const char *message;
    } bad[] = {
        {"{\"dist\": \"uniform\", \"min\": \"2us\", \"max\": \"1us\"}", SCN_ERROR_VALUE,
         "$.providers[0].latency.max: must be at least \"min\" (2us)"},
        {"{\"dist\": \"lognormal\", \"median\": \"1us\"}", SCN_ERROR_MISSING,
         "$.providers[0].latency: a lognormal needs \"sigma\" or \"p99\" besides \"median\""},
        {"{\"dist\": \"lognormal\", \"median\": \"1us\", \"sigma\": 11}", SCN_ERROR_VALUE,
         "$.providers[0].latency.sigma: must be at most 10, got 11"},
        {"{\"dist\": \"exponential\"}", SCN_ERROR_MISSING,
         "$.providers[0].latency: missing required key \"mean\""},
        {"{\"dist\": \"normal\", \"mean\": \"1us\", \"stdev\": \"1us\"}", SCN_ERROR_UNKNOWN_KEY,
         "$.providers[0].latency.stdev: unknown key \"stdev\" (did you mean \"stddev\"?)"},
        {"{\"dist\": 3}", SCN_ERROR_TYPE,
         "$.providers[0].latency.dist: expected a string (\"constant\", \"uniform\", "
         "\"exponential\", \"normal\", \"lognormal\", \"pareto\" or \"empirical\"), got an "
         "integer"},
        {"true", SCN_ERROR_TYPE,
         "$.providers[0].latency: expected a distribution (a duration such as \"80us\", or an "
         "object with \"dist\"), got a boolean"},
        {"{\"dist\": \"empirical\", \"points\": [[0, \"1us\"]]}", SCN_ERROR_VALUE,
         "$.providers[0].latency.points: needs 2 to 64 points, got 1"},
        {"{\"dist\": \"empirical\", \"points\": [[0, \"1us\"], [0, \"2us\"], [1, \"3us\"]]}",
         SCN_ERROR_VALUE,
         "$.providers[0].latency.points[1]: probabilities must rise strictly from point to point"},
        {"{\"dist\": \"empirical\", \"points\": [[0, \"1us\"], [1.5, \"2us\"]]}", SCN_ERROR_VALUE,
         "$.providers[0].latency.points[1]: probability must lie in [0, 1]"},
        {"{\"dist\": \"empirical\", \"points\": [[0, \"1us\"], [1, \"2 parsecs\"]]}",
         SCN_ERROR_VALUE,
         "$.providers[0].latency.points[1]: unknown duration unit \"parsecs\" in \"2 parsecs\" "
         "(use ns, us, ms, s, min or h)"},
    };

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(ScnScenario) sc = load_latency(bad[i].latency, &error);
        g_autofree char *expected = g_strdup_printf("dist.json: %s", bad[i].message);

        g_assert_null(sc);
        g_assert_error(error, SCN_ERROR, (gint)bad[i].code);
        g_assert_cmpstr(error->message, ==, expected);
    }
}

static void test_kind_names(void) {
    g_assert_cmpstr(scn_dist_kind_to_string(SCN_DIST_CONSTANT), ==, "constant");
    g_assert_cmpstr(scn_dist_kind_to_string(SCN_DIST_EMPIRICAL), ==, "empirical");
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scn/dist/constant", test_constant);
    g_test_add_func("/scn/dist/uniform", test_uniform);
    g_test_add_func("/scn/dist/exponential", test_exponential);
    g_test_add_func("/scn/dist/normal", test_normal);
    g_test_add_func("/scn/dist/lognormal", test_lognormal);
    g_test_add_func("/scn/dist/pareto", test_pareto);
    g_test_add_func("/scn/dist/empirical", test_empirical);
    g_test_add_func("/scn/dist/bad", test_bad);
    g_test_add_func("/scn/dist/kind-names", test_kind_names);
    return g_test_run();
}
