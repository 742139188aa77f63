/* The metrics that sweeps, replicated comparisons and `pagesim diff` tabulate:
 * one table naming each metric, where summary.json holds it and how it is shown.
 * Every table, figure and diff is driven from this list, so adding a metric (or
 * moving to a shared comparison table in sim/report/) is a change in one place.
 */
#pragma once

#include <glib.h>

typedef struct {
    const char *name;    /* column name in sweep.csv / sweep.json and in diff */
    const char *path;    /* '.'-separated keys in summary.json; "providers[max].KEY" takes
                          * the largest KEY over the providers */
    const char *heading; /* short heading for Markdown and printed tables */
    const char *what;    /* what it is, for a figure's axis */
    gboolean ns;         /* a duration in ns (shown in a time unit) */
    gboolean figure;     /* drawn against the swept parameter by sweep */
} CliMetric;

/* cli_metrics: (transfer none) the table, @n its length. */
const CliMetric *cli_metrics(guint *n);

/* cli_metrics_read_summary: reads the summary.json at @path into @values, one per
 * metric of the table in its order; a metric the file lacks is NAN.
 * Returns FALSE with @error (G_FILE_ERROR) if the file is missing or not a JSON
 * object. */
gboolean cli_metrics_read_summary(const char *path, double *values, GError **error);

/* cli_metric_format: (transfer full) @v as text for people: a duration in
 * microseconds with one decimal, simulated time in seconds, a whole number as
 * it is, another number with two decimals (three below 1); "-" for NAN. */
char *cli_metric_format(const CliMetric *m, double v);
