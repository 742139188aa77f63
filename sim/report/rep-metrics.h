/* The metrics of comparison tables: one table of what a comparison shows, read
 * out of summary.json documents (RepSummary), so that `pagesim compare` and any
 * later table over runs (sweeps) show the same figures under the same names.
 *
 * Each metric names a number of summary.json by its path; a table holds one
 * column per run, the first run being the baseline, and gives every other run's
 * change against it in percent. Absent values (a percentile of zero samples, the
 * makespan of a run that never ends) are null in JSON, empty in CSV and "-" in
 * text. Durations are printed in ns, us, ms or s by magnitude.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-summary.h"

typedef enum {
    REP_METRIC_COUNT,    /* a number of things */
    REP_METRIC_RATE,     /* per simulated second */
    REP_METRIC_DURATION, /* nanoseconds */
    REP_METRIC_RATIO,    /* a fraction, 0..1 */
} RepMetricUnit;

typedef struct {
    const char *key;     /* column name in CSV and JSON */
    const char *heading; /* row heading in the printed tables */
    const char *path;    /* where summary.json holds it (rep_summary_get_number) */
    RepMetricUnit unit;
} RepMetric;

/* rep_metrics: (transfer none) the metrics, in table order; @n gets their number. */
const RepMetric *rep_metrics(guint *n);

/* rep_metric_value: the value of @m in @s. Returns FALSE if it has none. */
gboolean rep_metric_value(const RepMetric *m, const RepSummary *s, double *out);

/* rep_metric_change_pct: 100 x (@value - @base) / @base. Returns FALSE (no
 * change to show) when @base is 0. */
gboolean rep_metric_change_pct(double base, double value, double *out);

/* rep_format_duration: (transfer full) @ns in ns, us, ms or s by magnitude
 * ("812 ns", "81.2 us", "106.2 ms", "5.96 s"). */
char *rep_format_duration(double ns);

/* rep_metric_format: (transfer full) @v as the printed tables show a value of
 * @unit ("10.2 M/s", "81.2 us", "0.512", "65536"). */
char *rep_metric_format(RepMetricUnit unit, double v);

/* A table: one column per run. @labels names the runs (the first is the
 * baseline); @runs holds their summaries. */
typedef struct {
    const char *const *labels;
    RepSummary *const *runs;
    guint n;
} RepMetricTable;

/* rep_metrics_write_text: the table with a row per metric and a column per run,
 * each non-baseline cell followed by its change, aligned (@markdown FALSE) or
 * as a Markdown table. */
void rep_metrics_write_text(const RepMetricTable *t, gboolean markdown, FILE *out);

/* rep_metrics_write_csv: a header line, then one line per run: its label, each
 * metric, then each metric's change against the baseline in percent
 * (KEY_change_pct). */
void rep_metrics_write_csv(const RepMetricTable *t, const char *label_key, FILE *out);

/* rep_metrics_write_json: {"scenario", "seed", "baseline", "metrics": [{key,
 * heading, unit, path}], LIST_KEY: [{LABEL_KEY, "values": {KEY: v},
 * "change_pct": {KEY: pct}}]}. Returns FALSE if @out fails. */
gboolean rep_metrics_write_json(const RepMetricTable *t, const char *label_key,
                                const char *list_key, const char *scenario, guint64 seed,
                                FILE *out);
