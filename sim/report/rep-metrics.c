/* The comparison metrics and their tables (see rep-metrics.h). */
#include "sim/report/rep-metrics.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const RepMetric metrics[] = {
    {"accesses", "accesses", "accesses", REP_METRIC_COUNT},
    {"accesses_per_s", "accesses/s", "throughput.accesses_per_s", REP_METRIC_RATE},
    {"faults", "faults", "faults", REP_METRIC_COUNT},
    {"makespan_ns", "makespan", "makespan_ns", REP_METRIC_DURATION},
    {"access_p50_ns", "access p50", "access_latency_ns.p50", REP_METRIC_DURATION},
    {"access_p99_ns", "access p99", "access_latency_ns.p99", REP_METRIC_DURATION},
    {"ok_fault_p50_ns", "ZX_OK fault p50", "statuses.ZX_OK.latency_ns.p50", REP_METRIC_DURATION},
    {"ok_fault_p99_ns", "ZX_OK fault p99", "statuses.ZX_OK.latency_ns.p99", REP_METRIC_DURATION},
    {"ok_fault_p999_ns", "ZX_OK fault p99.9", "statuses.ZX_OK.latency_ns.p999",
     REP_METRIC_DURATION},
    {"failures", "failed accesses", "accesses_failed", REP_METRIC_COUNT},
    {"mean_wait_ns", "mean wait", "mean_wait_ns", REP_METRIC_DURATION},
    {"requests", "requests sent", "requests.sent", REP_METRIC_COUNT},
    {"pages_requested", "pages requested", "requests.pages", REP_METRIC_COUNT},
    {"pages_supplied", "pages supplied", "supplied_pages", REP_METRIC_COUNT},
    {"pages_unused", "pages unused", "pages_unused", REP_METRIC_COUNT},
    {"utilization", "busiest provider util.", "providers[].utilization", REP_METRIC_RATIO},
    {"sim_time_ns", "simulated time", "sim_time_ns", REP_METRIC_DURATION},
};

const RepMetric *rep_metrics(guint *n) {
    *n = G_N_ELEMENTS(metrics);
    return metrics;
}

gboolean rep_metric_value(const RepMetric *m, const RepSummary *s, double *out) {
    return rep_summary_get_number(s, m->path, out);
}

gboolean rep_metric_change_pct(double base, double value, double *out) {
    if (base == 0 || isnan(base) || isnan(value))
        return FALSE;
    *out = 100.0 * (value - base) / base;
    return TRUE;
}

char *rep_format_duration(double ns) {
    double a = fabs(ns);
    if (a < 1e3)
        return g_strdup_printf("%.0f ns", ns);
    if (a < 1e6)
        return g_strdup_printf("%.1f us", ns / 1e3);
    if (a < 1e9)
        return g_strdup_printf("%.1f ms", ns / 1e6);
    return g_strdup_printf("%.2f s", ns / 1e9);
}

static char *format_rate(double v) {
    if (v < 1e3)
        return g_strdup_printf("%.1f/s", v);
    if (v < 1e6)
        return g_strdup_printf("%.1f k/s", v / 1e3);
    if (v < 1e9)
        return g_strdup_printf("%.2f M/s", v / 1e6);
    return g_strdup_printf("%.2f G/s", v / 1e9);
}

char *rep_metric_format(RepMetricUnit unit, double v) {
    switch (unit) {
        case REP_METRIC_RATE:
            return format_rate(v);
        case REP_METRIC_DURATION:
            return rep_format_duration(v);
        case REP_METRIC_RATIO:
            return g_strdup_printf("%.3f", v);
        default:
            return g_strdup_printf("%.0f", v);
    }
}

/* The text of the cell of metric @m for run @r: its value, and for runs after
 * the baseline its change ("81.2 us (+30.5%)"); "-" for no value. */
static char *cell(const RepMetricTable *t, const RepMetric *m, guint r) {
    double v, base, pct;
    if (!rep_metric_value(m, t->runs[r], &v))
        return g_strdup("-");
    g_autofree char *text = rep_metric_format(m->unit, v);
    if (r == 0 || !rep_metric_value(m, t->runs[0], &base) || !rep_metric_change_pct(base, v, &pct))
        return g_steal_pointer(&text);
    return g_strdup_printf("%s (%+.1f%%)", text, pct);
}

static void put_row(FILE *out, gboolean md, const int *width, const char *const *cells, guint n) {
    for (guint c = 0; c < n; c++)
        fprintf(out, "%s%*s", c ? (md ? " | " : "  ") : (md ? "| " : ""), c ? width[c] : -width[c],
                cells[c]);
    fprintf(out, "%s\n", md ? " |" : "");
}

void rep_metrics_write_text(const RepMetricTable *t, gboolean markdown, FILE *out) {
    guint nc = t->n + 1, nr = G_N_ELEMENTS(metrics);
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(cells, g_strdup("metric"));
    for (guint r = 0; r < t->n; r++)
        g_ptr_array_add(cells, g_strdup(t->labels[r]));
    for (guint m = 0; m < nr; m++) {
        g_ptr_array_add(cells, g_strdup(metrics[m].heading));
        for (guint r = 0; r < t->n; r++)
            g_ptr_array_add(cells, cell(t, &metrics[m], r));
    }
    g_autofree int *width = g_new0(int, nc);
    for (guint i = 0; i < cells->len; i++)
        width[i % nc] = MAX(width[i % nc], (int)g_utf8_strlen(cells->pdata[i], -1));
    put_row(out, markdown, width, (const char *const *)cells->pdata, nc);
    if (markdown) {
        for (guint c = 0; c < nc; c++)
            fprintf(out, "%s%s", c ? " | " : "| ", c ? "---:" : "---");
        fprintf(out, " |\n");
    }
    for (guint m = 0; m < nr; m++)
        put_row(out, markdown, width, (const char *const *)cells->pdata + (m + 1) * nc, nc);
}

static void put_csv_number(FILE *out, gboolean have, double v) {
    if (!have)
        fputc(',', out);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, ",%.0f", v);
    else
        fprintf(out, ",%.6g", v);
}

void rep_metrics_write_csv(const RepMetricTable *t, const char *label_key, FILE *out) {
    guint nm = G_N_ELEMENTS(metrics);
    fprintf(out, "%s", label_key);
    for (guint m = 0; m < nm; m++)
        fprintf(out, ",%s", metrics[m].key);
    for (guint m = 0; m < nm; m++)
        fprintf(out, ",%s_change_pct", metrics[m].key);
    fputc('\n', out);
    for (guint r = 0; r < t->n; r++) {
        fprintf(out, "\"%s\"", t->labels[r]);
        for (guint m = 0; m < nm; m++) {
            double v = 0;
            gboolean have = rep_metric_value(&metrics[m], t->runs[r], &v);
            put_csv_number(out, have, v);
        }
        for (guint m = 0; m < nm; m++) {
            double v = 0, base = 0, pct = 0;
            gboolean have = rep_metric_value(&metrics[m], t->runs[r], &v) &&
                            rep_metric_value(&metrics[m], t->runs[0], &base) &&
                            rep_metric_change_pct(base, v, &pct);
            if (have)
                fprintf(out, ",%.3f", pct);
            else
                fputc(',', out);
        }
        fputc('\n', out);
    }
}

static json_t *number_json(gboolean have, double v) {
    if (!have)
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *run_json(const RepMetricTable *t, guint r, const char *label_key) {
    json_t *o = json_object(), *values = json_object(), *changes = json_object();
    json_object_set_new(o, label_key, json_string(t->labels[r]));
    for (guint m = 0; m < G_N_ELEMENTS(metrics); m++) {
        double v = 0, base = 0, pct = 0;
        gboolean have = rep_metric_value(&metrics[m], t->runs[r], &v);
        json_object_set_new(values, metrics[m].key, number_json(have, v));
        have = have && rep_metric_value(&metrics[m], t->runs[0], &base) &&
               rep_metric_change_pct(base, v, &pct);
        json_object_set_new(changes, metrics[m].key, have ? json_real(pct) : json_null());
    }
    json_object_set_new(o, "values", values);
    json_object_set_new(o, "change_pct", changes);
    return o;
}

gboolean rep_metrics_write_json(const RepMetricTable *t, const char *label_key,
                                const char *list_key, const char *scenario, guint64 seed,
                                FILE *out) {
    static const char *const units[] = {"count", "per_s", "ns", "ratio"};
    json_auto_t *doc = json_object();
    json_object_set_new(doc, "scenario", json_string(scenario));
    json_object_set_new(doc, "seed", json_integer((json_int_t)seed));
    json_object_set_new(doc, "baseline", json_string(t->n ? t->labels[0] : ""));
    json_t *ms = json_array();
    for (guint m = 0; m < G_N_ELEMENTS(metrics); m++)
        json_array_append_new(ms, json_pack("{s:s, s:s, s:s, s:s}", "key", metrics[m].key,
                                            "heading", metrics[m].heading, "unit",
                                            units[metrics[m].unit], "path", metrics[m].path));
    json_object_set_new(doc, "metrics", ms);
    json_t *runs = json_array();
    for (guint r = 0; r < t->n; r++)
        json_array_append_new(runs, run_json(t, r, label_key));
    json_object_set_new(doc, list_key, runs);
    return json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9)) ==
               0 &&
           fputc('\n', out) != EOF;
}
