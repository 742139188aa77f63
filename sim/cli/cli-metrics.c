/* The metric table of sweeps, replicated comparisons and diff (see cli-metrics.h),
 * and reading it from a run's summary.json.
 *
 * Invariant: metric names are unique, and every path names a number that
 * `pagesim run` writes into summary.json.
 */
#include "sim/cli/cli-metrics.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const CliMetric table[] = {
    {"faults", "faults", "faults", "faults (accesses that found a page missing)", FALSE, FALSE},
    {"faults_failed", "faults_failed", "failed", "faults that failed", FALSE, FALSE},
    {"requests", "requests.sent", "requests", "requests sent to providers", FALSE, TRUE},
    {"pages_requested", "requests.pages", "pages req.", "pages requested", FALSE, FALSE},
    {"pages_unused", "pages_unused", "unused", "pages supplied but never used", FALSE, FALSE},
    {"mean_ns", "latency_ns.mean", "mean us", "mean fault latency", TRUE, TRUE},
    {"p50_ns", "latency_ns.p50", "p50 us", "median fault latency", TRUE, FALSE},
    {"p90_ns", "latency_ns.p90", "p90 us", "p90 fault latency", TRUE, FALSE},
    {"p99_ns", "latency_ns.p99", "p99 us", "p99 fault latency", TRUE, TRUE},
    {"p999_ns", "latency_ns.p999", "p99.9 us", "p99.9 fault latency", TRUE, FALSE},
    {"max_ns", "latency_ns.max", "max us", "largest fault latency", TRUE, FALSE},
    {"mean_wait_ns", "mean_wait_ns", "wait us", "mean PageRequest::Wait", TRUE, FALSE},
    {"utilization", "providers[max].utilization", "util.", "busiest provider's utilization", FALSE,
     TRUE},
    {"sim_time_ns", "sim_time_ns", "sim s", "simulated time (ns)", FALSE, FALSE},
};

const CliMetric *cli_metrics(guint *n) {
    *n = G_N_ELEMENTS(table);
    return table;
}

/* The largest number @key over the objects of the array @arr; NAN if none. */
static double max_over(json_t *arr, const char *key) {
    double best = NAN;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        json_t *v = json_object_get(o, key);
        if (json_is_number(v) && !(json_number_value(v) <= best))
            best = json_number_value(v);
    }
    return best;
}

static double lookup(json_t *doc, const char *path) {
    g_auto(GStrv) keys = g_strsplit(path, ".", -1);
    json_t *v = doc;
    for (char **k = keys; *k && v; k++) {
        if (strcmp(*k, "providers[max]") == 0)
            return k[1] ? max_over(json_object_get(v, "providers"), k[1]) : NAN;
        v = json_object_get(v, *k);
    }
    return json_is_number(v) ? json_number_value(v) : NAN;
}

gboolean cli_metrics_read_summary(const char *path, double *values, GError **error) {
    json_error_t jerr;
    json_auto_t *doc = json_load_file(path, 0, &jerr);
    if (!json_is_object(doc)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path,
                    doc ? "not a JSON object" : jerr.text);
        return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        values[i] = lookup(doc, table[i].path);
    return TRUE;
}

char *cli_metric_format(const CliMetric *m, double v) {
    if (isnan(v))
        return g_strdup("-");
    if (m->ns)
        return g_strdup_printf("%.1f", v / 1e3);
    if (strcmp(m->name, "sim_time_ns") == 0)
        return g_strdup_printf("%.6f", v / 1e9);
    if (v == floor(v) && fabs(v) < 1e15)
        return g_strdup_printf("%.0f", v);
    return g_strdup_printf(fabs(v) < 1 ? "%.3f" : "%.2f", v);
}
