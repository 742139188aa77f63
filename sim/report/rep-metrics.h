/* The metric table: the one list of what every table over runs shows (`pagesim
 * compare`, `compare --runs`, the sweep tables and figures, `pagesim diff`),
 * each metric read out of summary.json documents (RepSummary) by its path.
 *
 * A row of the table is fixed (always shown), or belongs to a section of
 * summary.json that only some runs have: the `memory` rows to runs whose
 * scenario has a `memory` section, the device rows (one set per device that is
 * not of kind "none", named after it) to runs with that device. A table over
 * runs shows the rows that apply to at least one of its runs, in table order;
 * so a run without memory pressure or devices gets no such column at all.
 *
 * A cell has three states: a value; no value (a percentile of zero samples,
 * the makespan of a run that never ends, a p99 of no stall: "-" in text);
 * or not applicable (the row's section is not in that run: "n/a" in text).
 * Both empty states are empty in CSV and null in JSON.
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
    REP_METRIC_NUMBER,   /* another number: a mean level (queue length), MB/s */
} RepMetricUnit;

/* One row (owned strings). */
typedef struct {
    char *key;        /* column name in CSV and JSON, and in diff ("p99_ns", "device_ssd_iops") */
    char *heading;    /* row or column heading in the printed tables */
    char *path;       /* where summary.json holds it (rep_summary_get_number; for a device
                       * row the path under its element of "devices") */
    char *device;     /* (nullable) the device a device row is about */
    const char *what; /* what it is, for a figure's axis */
    RepMetricUnit unit;
    gboolean figure; /* drawn against the swept parameter by sweep */
    guint order;     /* position in the table: rows sort by it */
} RepMetric;

void rep_metric_free(RepMetric *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepMetric, rep_metric_free)

/* What a run has for a metric. */
typedef enum {
    REP_METRIC_VALUE, /* a number */
    REP_METRIC_NONE,  /* the row applies, but there is no value */
    REP_METRIC_NA,    /* the row does not apply to this run */
} RepMetricState;

/* rep_metrics_new: (transfer full) an empty list of rows (RepMetric *), to fill
 * with rep_metrics_add_summary() or rep_metrics_add_key(). */
GPtrArray *rep_metrics_new(void);

/* rep_metrics_add_summary: adds to @rows, in table order, every row that
 * applies to @s and is not there yet. */
void rep_metrics_add_summary(GPtrArray *rows, const RepSummary *s);

/* rep_metrics_add_key: adds the row named @key (a fixed row's key or a device
 * row's "device_NAME_SUFFIX") if it is not there yet. Returns FALSE for a key
 * that names no row. */
gboolean rep_metrics_add_key(GPtrArray *rows, const char *key);

/* rep_metrics_for_runs: (transfer full) the rows that apply to at least one of
 * the @n summaries @runs. */
GPtrArray *rep_metrics_for_runs(RepSummary *const *runs, guint n);

/* rep_metric_get: what @s has for @m; @out is set for REP_METRIC_VALUE. */
RepMetricState rep_metric_get(const RepMetric *m, const RepSummary *s, double *out);

/* rep_metric_value: the value of @m in @s. Returns FALSE if it has none. */
gboolean rep_metric_value(const RepMetric *m, const RepSummary *s, double *out);

/* rep_metric_change_pct: 100 x (@value - @base) / @base. Returns FALSE (no
 * change to show) when @base is 0. */
gboolean rep_metric_change_pct(double base, double value, double *out);

/* rep_format_duration: (transfer full) @ns in ns, us, ms or s by magnitude
 * ("812 ns", "81.2 us", "106.2 ms", "5.96 s"). */
char *rep_format_duration(double ns);

/* rep_metric_format: (transfer full) @v as the printed tables show a value of
 * @unit ("10.2 M/s", "81.2 us", "0.512", "65536", "1187.84"). */
char *rep_metric_format(RepMetricUnit unit, double v);

/* A fixed display unit for a column of values (sweep.md, where a mean and its
 * interval share a unit): a divisor and its label ("us"; "" for none). */
typedef struct {
    double scale;
    const char *label;
} RepMetricScale;

/* rep_metric_scale: the unit for a column of @m whose largest magnitude is
 * @largest: for durations the largest of ns, us, ms and s in which it is below
 * 10000 (s beyond), none for other units. */
RepMetricScale rep_metric_scale(const RepMetric *m, double largest);

/* rep_metric_format_scaled: (transfer full) @v in @sc: a duration with one
 * decimal (three in seconds), a ratio with three, a REP_METRIC_NUMBER with
 * two, another whole number as it is, another number with two decimals (three
 * below 1); "-" for NAN. */
char *rep_metric_format_scaled(const RepMetric *m, RepMetricScale sc, double v);

/* A table: one column per run. @labels names the runs (the first is the
 * baseline); @runs holds their summaries. */
typedef struct {
    const char *const *labels;
    RepSummary *const *runs;
    guint n;
} RepMetricTable;

/* rep_metrics_write_text: the table with a row per metric that applies to any
 * run and a column per run, each non-baseline cell followed by its change,
 * aligned (@markdown FALSE) or as a Markdown table. */
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

/* rep_metric_unit_name: "count", "per_s", "ns", "ratio" or "number". */
const char *rep_metric_unit_name(RepMetricUnit unit);

/* rep_metric_json_path: (transfer full) the path of @m as documented in JSON
 * ("latency_ns.p99", "devices[name=ssd].iops"). */
char *rep_metric_json_path(const RepMetric *m);
