/* Queueing sanity: open-loop Poisson arrivals on never-touched pages, served by a
 * pager with c workers and exponential service, form an M/M/c queue, so the mean
 * fault latency must match the Erlang C formula. Runs pagesim (its path is the
 * PAGESIM environment variable) on a generated scenario and reads summary.json. */
#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>

typedef struct {
    guint c;        /* workers */
    double lambda;  /* arrivals per second */
    double service; /* mean service time, seconds */
    guint arrivals; /* how many */
} Queue;

/* Erlang C: the mean time in system of M/M/c with arrival rate lambda and
 * service rate mu = 1/service. */
static double erlang_c_response(const Queue *q) {
    double a = q->lambda * q->service, rho = a / q->c;
    double term = 1.0, sum = 0.0;
    for (guint k = 0; k < q->c; k++) {
        sum += term;
        term *= a / (k + 1); /* term is a^(k+1) / (k+1)! */
    }
    double tail = term / (1.0 - rho);
    double p_wait = tail / (sum + tail);
    return p_wait / (q->c / q->service - q->lambda) + q->service;
}

static json_t *run(const Queue *q, const char *dir) {
    g_autofree char *path = g_build_filename(dir, "mmc.json", NULL);
    g_autofree char *text = g_strdup_printf(
        "{\"name\": \"mmc\", \"seed\": 7,"
        " \"providers\": [{\"name\": \"p\", \"kind\": \"pager\", \"workers\": %u,"
        "   \"latency\": {\"dist\": \"exponential\", \"mean\": \"%.0fns\"}}],"
        " \"vmos\": [{\"name\": \"v\", \"size\": \"%uKiB\", \"provider\": \"p\"}],"
        " \"workloads\": [{\"name\": \"arrivals\", \"kind\": \"open\", \"vmo\": \"v\","
        "   \"arrival\": {\"process\": \"poisson\", \"rate\": %.1f}, \"count\": %u}]}",
        q->c, q->service * 1e9, q->arrivals * 4, q->lambda, q->arrivals);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *argv[] = {g_getenv("PAGESIM"), "run",  path,      "--out", out,
                          "--trace",           "none", "--quiet", NULL};
    g_assert_nonnull(argv[0]);
    int status = -1;
    g_autoptr(GError) err = NULL;
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &err);
    g_assert_no_error(err);
    g_assert_cmpint(status, ==, 0);
    g_autofree char *summary = g_build_filename(out, "summary.json", NULL);
    json_error_t jerr;
    json_t *s = json_load_file(summary, 0, &jerr);
    g_assert_nonnull(s);
    return s;
}

static void test_mmc(gconstpointer data) {
    const Queue *q = data;
    g_autofree char *dir = g_dir_make_tmp("mmc-XXXXXX", NULL);
    json_auto_t *s = run(q, dir);
    json_t *lat = json_object_get(s, "latency_ns");
    g_assert_cmpint(json_integer_value(json_object_get(lat, "count")), ==, q->arrivals);
    g_assert_cmpint(json_integer_value(json_object_get(s, "faults_failed")), ==, 0);
    double mean = json_real_value(json_object_get(lat, "mean")) / 1e9;
    double want = erlang_c_response(q);
    g_test_message("M/M/%u rho %.2f: mean latency %.3f us, Erlang C %.3f us (%+.2f%%)", q->c,
                   q->lambda * q->service / q->c, mean * 1e6, want * 1e6,
                   100.0 * (mean - want) / want);
    g_assert_cmpfloat(fabs(mean - want) / want, <=, 0.02);
    /* The workers are busy a fraction rho of the time. */
    json_t *p = json_array_get(json_object_get(s, "providers"), 0);
    double util = json_real_value(json_object_get(p, "utilization"));
    g_assert_cmpfloat(fabs(util - q->lambda * q->service / q->c), <=, 0.02);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    static const Queue mm4 = {.c = 4, .lambda = 30000, .service = 100e-6, .arrivals = 1000000};
    static const Queue mm1 = {.c = 1, .lambda = 5000, .service = 100e-6, .arrivals = 1000000};
    g_test_add_data_func("/e2e/queueing/mm4-rho-0.75", &mm4, test_mmc);
    g_test_add_data_func("/e2e/queueing/mm1-rho-0.5", &mm1, test_mmc);
    return g_test_run();
}
