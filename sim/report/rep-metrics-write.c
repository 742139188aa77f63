/* The tables of a comparison (compare.md, compare.csv, compare.json and the
 * printed table): a row per metric of the table that applies to any run, a
 * column per run (see rep-metrics.h).
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "sim/report/rep-metrics.h"

/* The text of the cell of metric @m for run @r: its value, and for runs after
 * the baseline its change ("81.2 us (+30.5%)"); "-" for no value, "n/a" where
 * the metric does not apply. */
static char *cell(const RepMetricTable *t, const RepMetric *m, guint r) {
    double v, base, pct;
    RepMetricState st = rep_metric_get(m, t->runs[r], &v);
    if (st != REP_METRIC_VALUE)
        return g_strdup(st == REP_METRIC_NA ? "n/a" : "-");
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
    g_autoptr(GPtrArray) rows = rep_metrics_for_runs(t->runs, t->n);
    guint nc = t->n + 1, nr = rows->len;
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(cells, g_strdup("metric"));
    for (guint r = 0; r < t->n; r++)
        g_ptr_array_add(cells, g_strdup(t->labels[r]));
    for (guint m = 0; m < nr; m++) {
        const RepMetric *metric = rows->pdata[m];
        g_ptr_array_add(cells, g_strdup(metric->heading));
        for (guint r = 0; r < t->n; r++)
            g_ptr_array_add(cells, cell(t, metric, r));
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

/* The change of @m in run @r against the baseline; FALSE if there is none. */
static gboolean change(const RepMetricTable *t, const RepMetric *m, guint r, double *pct) {
    double v = 0, base = 0;
    return rep_metric_value(m, t->runs[r], &v) && rep_metric_value(m, t->runs[0], &base) &&
           rep_metric_change_pct(base, v, pct);
}

void rep_metrics_write_csv(const RepMetricTable *t, const char *label_key, FILE *out) {
    g_autoptr(GPtrArray) rows = rep_metrics_for_runs(t->runs, t->n);
    fprintf(out, "%s", label_key);
    for (guint m = 0; m < rows->len; m++)
        fprintf(out, ",%s", ((RepMetric *)rows->pdata[m])->key);
    for (guint m = 0; m < rows->len; m++)
        fprintf(out, ",%s_change_pct", ((RepMetric *)rows->pdata[m])->key);
    fputc('\n', out);
    for (guint r = 0; r < t->n; r++) {
        fprintf(out, "\"%s\"", t->labels[r]);
        for (guint m = 0; m < rows->len; m++) {
            double v = 0;
            gboolean have = rep_metric_value(rows->pdata[m], t->runs[r], &v);
            put_csv_number(out, have, v);
        }
        for (guint m = 0; m < rows->len; m++) {
            double pct = 0;
            if (change(t, rows->pdata[m], r, &pct))
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

static json_t *run_json(const RepMetricTable *t, GPtrArray *rows, guint r, const char *label_key) {
    json_t *o = json_object(), *values = json_object(), *changes = json_object();
    json_object_set_new(o, label_key, json_string(t->labels[r]));
    for (guint m = 0; m < rows->len; m++) {
        const RepMetric *metric = rows->pdata[m];
        double v = 0, pct = 0;
        gboolean have = rep_metric_value(metric, t->runs[r], &v);
        json_object_set_new(values, metric->key, number_json(have, v));
        json_object_set_new(changes, metric->key,
                            change(t, metric, r, &pct) ? json_real(pct) : json_null());
    }
    json_object_set_new(o, "values", values);
    json_object_set_new(o, "change_pct", changes);
    return o;
}

gboolean rep_metrics_write_json(const RepMetricTable *t, const char *label_key,
                                const char *list_key, const char *scenario, guint64 seed,
                                FILE *out) {
    g_autoptr(GPtrArray) rows = rep_metrics_for_runs(t->runs, t->n);
    json_auto_t *doc = json_object();
    json_object_set_new(doc, "scenario", json_string(scenario));
    json_object_set_new(doc, "seed", json_integer((json_int_t)seed));
    json_object_set_new(doc, "baseline", json_string(t->n ? t->labels[0] : ""));
    json_t *ms = json_array();
    for (guint m = 0; m < rows->len; m++) {
        const RepMetric *metric = rows->pdata[m];
        g_autofree char *path = rep_metric_json_path(metric);
        json_array_append_new(ms, json_pack("{s:s, s:s, s:s, s:s}", "key", metric->key, "heading",
                                            metric->heading, "unit",
                                            rep_metric_unit_name(metric->unit), "path", path));
    }
    json_object_set_new(doc, "metrics", ms);
    json_t *runs = json_array();
    for (guint r = 0; r < t->n; r++)
        json_array_append_new(runs, run_json(t, rows, r, label_key));
    json_object_set_new(doc, list_key, runs);
    return json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9)) ==
               0 &&
           fputc('\n', out) != EOF;
}
