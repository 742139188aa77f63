/* The comparison metrics (rep-metrics.c) and the summary reader they use
 * (rep-summary.c): values by path, changes against the baseline, units by
 * magnitude, and "-" / empty / null for values that do not exist. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sim/report/rep-metrics.h"

/* Two small summary documents: the baseline makes 100 accesses in 1 s with a
 * makespan, under memory pressure (a `memory` section with no direct reclaim)
 * and with two devices, one of kind "none"; the other 250, with no ZX_OK fault
 * at all, no makespan, no memory section, no device, and (as a summary.json
 * written before issue 11) no overtime_waits. */
static const char base_json[] =
    "{\"accesses\": 100, \"faults\": 40, \"throughput\": {\"accesses_per_s\": 100.0},"
    " \"makespan_ns\": 2000000000, \"access_latency_ns\": {\"p50\": 0, \"p99\": 81200},"
    " \"latency_ns\": {\"mean\": 95000.5, \"p50\": 90000, \"p90\": 110000, \"p99\": 120000,"
    " \"p999\": 130000, \"max\": 140000},"
    " \"statuses\": {\"ZX_OK\": {\"latency_ns\": {\"p50\": 90000, \"p99\": 120000, \"p999\": "
    "130000}}},"
    " \"accesses_failed\": 0, \"faults_failed\": 0, \"mean_wait_ns\": 1500.5,"
    " \"overtime_waits\": 2, \"requests\": {\"sent\": 40, \"pages\": 40},"
    " \"supplied_pages\": 40, \"pages_unused\": 0, \"providers\": [{\"utilization\": 0.25}, "
    "{\"utilization\": 0.5}],"
    " \"devices\": [{\"name\": \"ssd\", \"kind\": \"nvme\", \"utilization\": 0.75, \"iops\": "
    "290000.0, \"mbps\": 1187.84, \"queue\": 0.5}, {\"name\": \"nil\", \"kind\": \"none\","
    " \"utilization\": 0.0, \"iops\": 0.0, \"mbps\": 0.0, \"queue\": 0.0}],"
    " \"memory\": {\"capacity_pages\": 1024, \"resident_max\": 1000, \"evictions\": 300,"
    " \"evicted_unused\": 12, \"refaults\": 25, \"readahead_refaults\": 7,"
    " \"refault_distance\": {\"count\": 25, \"p50\": 4096},"
    " \"resident_mean\": 812.25, \"reclaimer_busy_ns\": 4500000,"
    " \"direct_reclaim_ns\": {\"count\": 0, \"p99\": 0, \"total_ns\": 0}},"
    " \"sim_time_ns\": 1000000000}";
static const char other_json[] =
    "{\"accesses\": 250, \"faults\": 10, \"throughput\": {\"accesses_per_s\": 250000.0},"
    " \"makespan_ns\": null, \"access_latency_ns\": {\"p50\": 0, \"p99\": 60900},"
    " \"latency_ns\": {\"mean\": 60000.0, \"p50\": 50000, \"p90\": 70000, \"p99\": 80000,"
    " \"p999\": 80000, \"max\": 80000},"
    " \"statuses\": {\"ZX_ERR_IO\": {\"latency_ns\": {\"p50\": 5}}},"
    " \"accesses_failed\": 10, \"faults_failed\": 10, \"mean_wait_ns\": 0.0,"
    " \"requests\": {\"sent\": 10, \"pages\": 160},"
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

/* The rows named so far (freed at the end of main). */
static GPtrArray *named;

static const RepMetric *metric(const char *key) {
    g_assert_true(rep_metrics_add_key(named, key));
    for (guint i = 0; i < named->len; i++)
        if (strcmp(((RepMetric *)named->pdata[i])->key, key) == 0)
            return named->pdata[i];
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

/* The rows that depend on a section: memory, devices, and overtime_waits. */
static void test_sections(void) {
    g_autoptr(RepSummary) a = load(base_json, "metrics-a.json");
    g_autoptr(RepSummary) b = load(other_json, "metrics-b.json");
    double v = -1;
    static const struct {
        const char *key;
        double want; /* in a */
    } in_a[] = {{"evictions", 300},
                {"refaults", 25},
                {"refault_distance_p50", 4096},
                {"evicted_unused", 12},
                {"direct_reclaims", 0},
                {"direct_reclaim_ns", 0},
                {"reclaimer_busy_ns", 4500000},
                {"resident_max", 1000},
                {"device_ssd_utilization", 0.75},
                {"device_ssd_iops", 290000},
                {"device_ssd_mbps", 1187.84},
                {"device_ssd_queue", 0.5},
                {"overtime_waits", 2}};
    for (size_t k = 0; k < G_N_ELEMENTS(in_a); k++) {
        g_assert_cmpint(rep_metric_get(metric(in_a[k].key), a, &v), ==, REP_METRIC_VALUE);
        g_assert_cmpfloat(v, ==, in_a[k].want);
        /* b has neither memory nor devices; it lacks overtime_waits altogether. */
        g_assert_cmpint(rep_metric_get(metric(in_a[k].key), b, &v), ==,
                        k + 1 < G_N_ELEMENTS(in_a) ? REP_METRIC_NA : REP_METRIC_NONE);
    }
    /* No stall: the p99 of none is no value, not the 0 summary.json holds. */
    g_assert_cmpint(rep_metric_get(metric("direct_reclaim_p99_ns"), a, &v), ==, REP_METRIC_NONE);
    g_assert_cmpint(rep_metric_get(metric("makespan_ns"), b, &v), ==, REP_METRIC_NONE);
    /* Neither has a VMO lock cost (no "locks"): the lock rows do not apply. */
    g_assert_cmpint(rep_metric_get(metric("lock_held"), a, &v), ==, REP_METRIC_NA);
    g_assert_cmpint(rep_metric_get(metric("lock_wait_p99_ns"), b, &v), ==, REP_METRIC_NA);
    g_assert_false(rep_metrics_add_key(named, "device__iops")); /* no device name */
    g_assert_false(rep_metrics_add_key(named, "evicted"));
    /* b alone: the fixed rows only; with a: its memory rows and its one real
     * device (not the "none" one), before the simulated time. */
    RepSummary *only_b[] = {b}, *both[] = {b, a};
    g_autoptr(GPtrArray) rb = rep_metrics_for_runs(only_b, 1);
    g_autoptr(GPtrArray) rab = rep_metrics_for_runs(both, 2);
    g_assert_cmpuint(rb->len, ==, 25);
    g_assert_cmpuint(rab->len, ==, 25 + 11 + 4);
    g_assert_cmpstr(((RepMetric *)rab->pdata[23])->key, ==, "utilization");
    g_assert_cmpstr(((RepMetric *)rab->pdata[24])->key, ==, "evictions");
    g_assert_cmpstr(((RepMetric *)rab->pdata[35])->key, ==, "device_ssd_utilization");
    g_assert_cmpstr(((RepMetric *)rab->pdata[38])->heading, ==, "ssd queue");
    g_assert_cmpstr(((RepMetric *)rab->pdata[39])->key, ==, "sim_time_ns");
    g_autofree char *path = rep_metric_json_path(rab->pdata[36]);
    g_assert_cmpstr(path, ==, "devices[name=ssd].iops");
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
                            "| metric                 |   fuchsia |           readahead:16 |\n"
                            "| --- | ---: | ---: |\n"
                            "| accesses               |       100 |          250 (+150.0%) |\n"
                            "| accesses/s             |   100.0/s | 250.0 k/s (+249900.0%) |\n"));
    g_assert_nonnull(strstr(md, "| makespan               |    2.00 s |                      - |"));
    g_assert_nonnull(strstr(md, "| fault mean             |   95.0 us |       60.0 us (-36.8%) |"));
    g_assert_nonnull(strstr(md, "| ZX_OK fault p50        |   90.0 us |                      - |"));
    g_assert_nonnull(strstr(md, "| failed accesses        |         0 |                     10 |"));
    g_assert_nonnull(strstr(md, "| overtime waits         |         2 |                      - |"));
    g_assert_nonnull(strstr(md, "| busiest provider util. |     0.500 |         0.125 (-75.0%) |\n"
                                "| evictions              |       300 |                    n/a |"));
    g_assert_nonnull(strstr(md, "| direct reclaim p99     |         - |                    n/a |\n"
                                "| reclaimer busy         |    4.5 ms |                    n/a |"));
    g_assert_nonnull(strstr(md,
                            "| ssd reads/s            | 290.0 k/s |                    n/a |\n"
                            "| ssd MB/s               |   1187.84 |                    n/a |\n"
                            "| ssd queue              |      0.50 |                    n/a |\n"
                            "| simulated time         |    1.00 s |         1.00 s (+0.0%) |\n"));
    g_assert_nonnull(strstr(md, "| read-ahead refaults    |         7 |                    n/a |"));
    g_assert_nonnull(strstr(md, "| resident peak          |      1000 |                    n/a |\n"
                                "| resident mean          |    812.25 |                    n/a |"));
    g_assert_null(strstr(md, "nil")); /* the device of kind "none" */
    g_autofree char *csv = capture(&t, 1);
    g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
    g_assert_true(g_str_has_prefix(
        lines[0],
        "policy,accesses,accesses_per_s,faults,makespan_ns,access_p50_ns,access_p99_ns,"
        "mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,ok_fault_p50_ns,ok_fault_p99_ns,"
        "ok_fault_p999_ns,failures,faults_failed,mean_wait_ns,overtime_waits,requests,"
        "pages_requested,pages_supplied,pages_unused,utilization,evictions,refaults,"
        "refault_distance_p50,readahead_refaults,evicted_unused,direct_reclaims,direct_reclaim_ns,"
        "direct_reclaim_p99_ns,reclaimer_busy_ns,resident_max,resident_mean,"
        "device_ssd_utilization,device_ssd_iops,"
        "device_ssd_mbps,device_ssd_queue,sim_time_ns,accesses_change_pct,"));
    g_assert_cmpstr(lines[1], ==,
                    "\"fuchsia\",100,100,40,2000000000,0,81200,95000.5,90000,110000,120000,130000,"
                    "140000,90000,120000,130000,0,0,1500.5,2,40,40,40,0,0.5,300,25,4096,7,12,0,0,,"
                    "4500000,1000,812.25,0.75,290000,1187.84,0.5,1000000000,"
                    "0.000,0.000,0.000,0.000,,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,"
                    "0.000,0.000,,,0.000,0.000,0.000,0.000,0.000,,0.000,0.000,0.000,0.000,0.000,"
                    "0.000,,,,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000");
    g_assert_cmpstr(lines[2], ==,
                    "\"readahead:16\",250,250000,10,,0,60900,60000,50000,70000,80000,80000,80000,"
                    ",,,10,10,0,,10,160,160,20,0.125,,,,,,,,,,,,,,,,1000000000,"
                    "150.000,249900.000,-75.000,,,-25.000,-36.842,-44.444,-36.364,-33.333,"
                    "-38.462,-42.857,,,,,,-100.000,,-75.000,300.000,300.000,,-75.000,,,,,,,,,,,,,,"
                    ",,0.000");
    g_autofree char *json = capture(&t, 2);
    g_assert_nonnull(strstr(json, "\"baseline\": \"fuchsia\""));
    g_assert_nonnull(strstr(json, "\"makespan_ns\": null"));
    g_assert_nonnull(strstr(json, "\"pages_requested\": 300.0"));
    g_assert_nonnull(strstr(json, "\"path\": \"devices[name=ssd].mbps\""));
    g_assert_nonnull(strstr(json, "\"evictions\": null")); /* n/a for readahead:16 */
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    named = rep_metrics_new();
    g_test_add_func("/rep/metrics/values", test_values);
    g_test_add_func("/rep/metrics/sections", test_sections);
    g_test_add_func("/rep/metrics/formats", test_formats);
    g_test_add_func("/rep/metrics/tables", test_tables);
    int status = g_test_run();
    g_ptr_array_unref(named);
    return status;
}
