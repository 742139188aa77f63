/* The comparison metrics (rep-metrics.c) and the summary reader they use
 * (rep-summary.c): values by path, changes against the baseline, units by
 * magnitude, and "-" / empty / null for values that do not exist. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sim/report/rep-metrics.h"

/* Two small summary documents: the baseline makes 100 accesses in 1 s with a
 * makespan; the other 250, with no ZX_OK fault at all and no makespan. */
static const char base_json[] =
    "{\"accesses\": 100, \"faults\": 40, \"throughput\": {\"accesses_per_s\": 100.0},"
    " \"makespan_ns\": 2000000000, \"access_latency_ns\": {\"p50\": 0, \"p99\": 81200},"
    " \"statuses\": {\"ZX_OK\": {\"latency_ns\": {\"p50\": 90000, \"p99\": 120000, \"p999\": "
    "130000}}},"
    " \"accesses_failed\": 0, \"mean_wait_ns\": 1500.5, \"requests\": {\"sent\": 40, \"pages\": "
    "40},"
    " \"supplied_pages\": 40, \"pages_unused\": 0, \"providers\": [{\"utilization\": 0.25}, "
    "{\"utilization\": 0.5}],"
    " \"sim_time_ns\": 1000000000}";
static const char other_json[] =
    "{\"accesses\": 250, \"faults\": 10, \"throughput\": {\"accesses_per_s\": 250000.0},"
    " \"makespan_ns\": null, \"access_latency_ns\": {\"p50\": 0, \"p99\": 60900},"
    " \"statuses\": {\"ZX_ERR_IO\": {\"latency_ns\": {\"p50\": 5}}},"
    " \"accesses_failed\": 10, \"mean_wait_ns\": 0.0, \"requests\": {\"sent\": 10, \"pages\": 160},"
    " \"supplied_pages\": 160, \"pages_unused\": 20, \"providers\": [{\"utilization\": 0.125}], "
    "\"sim_time_ns\": 1000000000}";

static RepSummary *load(const char *json, const char *name) {
    g_autofree char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(g_file_set_contents(path, json, -1, &error));
    RepSummary *s = rep_summary_load(path, &error);
    g_assert_no_error(error);
    g_unlink(path);
    return s;
}

static const RepMetric *metric(const char *key) {
    guint n;
    const RepMetric *m = rep_metrics(&n);
    for (guint i = 0; i < n; i++)
        if (strcmp(m[i].key, key) == 0)
            return &m[i];
    g_error("no metric %s", key);
}

static void test_values(void) {
    g_autoptr(RepSummary) a = load(base_json, "metrics-a.json");
    g_autoptr(RepSummary) b = load(other_json, "metrics-b.json");
    double v;
    g_assert_true(rep_metric_value(metric("accesses_per_s"), b, &v));
    g_assert_cmpfloat(v, ==, 250000.0);
    g_assert_true(rep_metric_value(metric("utilization"), a, &v)); /* the busiest of two */
    g_assert_cmpfloat(v, ==, 0.5);
    g_assert_true(rep_metric_value(metric("ok_fault_p999_ns"), a, &v));
    g_assert_cmpfloat(v, ==, 130000);
    g_assert_false(rep_metric_value(metric("ok_fault_p50_ns"), b, &v)); /* no ZX_OK split */
    g_assert_false(rep_metric_value(metric("makespan_ns"), b, &v));     /* null */
    /* The reader's paths: an index into an array, exact integers, lengths. */
    gint64 i = 0;
    g_assert_true(rep_summary_get_number(a, "providers.1.utilization", &v));
    g_assert_cmpfloat(v, ==, 0.5);
    g_assert_false(rep_summary_get_integer(a, "providers.1.utilization", &i)); /* a real */
    g_assert_true(rep_summary_get_integer(a, "requests.pages", &i));
    g_assert_cmpint(i, ==, 40);
    g_assert_cmpuint(rep_summary_get_length(a, "providers"), ==, 2);
    g_assert_cmpuint(rep_summary_get_length(a, "accesses"), ==, 0);
    g_assert_false(rep_summary_get_number(a, "providers.2.utilization", &v));
    g_assert_true(rep_metric_change_pct(40, 10, &v));
    g_assert_cmpfloat(v, ==, -75.0);
    g_assert_false(rep_metric_change_pct(0, 20, &v)); /* no change from 0 */
}

static void test_formats(void) {
    static const struct {
        double ns;
        const char *text;
    } d[] = {{0, "0 ns"},           {999, "999 ns"},         {1000, "1.0 us"},
             {81200, "81.2 us"},    {999949, "999.9 us"},    {1000000, "1.0 ms"},
             {106.2e6, "106.2 ms"}, {5959226063.0, "5.96 s"}};
    for (size_t i = 0; i < G_N_ELEMENTS(d); i++) {
        g_autofree char *t = rep_format_duration(d[i].ns);
        g_assert_cmpstr(t, ==, d[i].text);
    }
    g_autofree char *r1 = rep_metric_format(REP_METRIC_RATE, 460686.0);
    g_autofree char *r2 = rep_metric_format(REP_METRIC_RATE, 10176078.0);
    g_autofree char *r3 = rep_metric_format(REP_METRIC_RATE, 12.0);
    g_assert_cmpstr(r1, ==, "460.7 k/s");
    g_assert_cmpstr(r2, ==, "10.18 M/s");
    g_assert_cmpstr(r3, ==, "12.0/s");
}

/* Writes with @fn into a memory stream and returns the text. */
static char *capture(const RepMetricTable *t, int what) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (what == 0)
        rep_metrics_write_text(t, TRUE, f);
    else if (what == 1)
        rep_metrics_write_csv(t, "policy", f);
    else
        g_assert_true(rep_metrics_write_json(t, "policy", "policies", "s", 7, f));
    fclose(f);
    return buf;
}

static void test_tables(void) {
    g_autoptr(RepSummary) a = load(base_json, "metrics-a.json");
    g_autoptr(RepSummary) b = load(other_json, "metrics-b.json");
    const char *labels[] = {"fuchsia", "readahead:16"};
    RepSummary *runs[] = {a, b};
    RepMetricTable t = {labels, runs, 2};
    g_autofree char *md = capture(&t, 0);
    g_assert_nonnull(strstr(md, "| metric "));
    g_assert_nonnull(strstr(md,
                            "| metric                 |  fuchsia |           readahead:16 |\n"
                            "| --- | ---: | ---: |\n"
                            "| accesses               |      100 |          250 (+150.0%) |\n"
                            "| accesses/s             |  100.0/s | 250.0 k/s (+249900.0%) |\n"));
    g_assert_nonnull(strstr(md, "| makespan               |   2.00 s |                      - |"));
    g_assert_nonnull(strstr(md, "| ZX_OK fault p50        |  90.0 us |                      - |"));
    g_assert_nonnull(strstr(md, "| failed accesses        |        0 |                     10 |"));
    g_assert_nonnull(strstr(md, "| busiest provider util. |    0.500 |         0.125 (-75.0%) |"));
    g_autofree char *csv = capture(&t, 1);
    g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
    g_assert_cmpstr(lines[1], ==,
                    "\"fuchsia\",100,100,40,2000000000,0,81200,90000,120000,130000,0,1500.5,40,"
                    "40,40,0,0.5,1000000000,0.000,0.000,0.000,0.000,,0.000,0.000,0.000,0.000,,"
                    "0.000,0.000,0.000,0.000,,0.000,0.000");
    g_assert_cmpstr(lines[2], ==,
                    "\"readahead:16\",250,250000,10,,0,60900,,,,10,0,10,160,160,20,0.125,"
                    "1000000000,150.000,249900.000,-75.000,,,-25.000,,,,,-100.000,-75.000,300.000,"
                    "300.000,,-75.000,0.000");
    g_autofree char *json = capture(&t, 2);
    g_assert_nonnull(strstr(json, "\"baseline\": \"fuchsia\""));
    g_assert_nonnull(strstr(json, "\"makespan_ns\": null"));
    g_assert_nonnull(strstr(json, "\"pages_requested\": 300.0"));
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/metrics/values", test_values);
    g_test_add_func("/rep/metrics/formats", test_formats);
    g_test_add_func("/rep/metrics/tables", test_tables);
    return g_test_run();
}
