/* The data files behind `pagesim plot`'s figures: everything a figure shows is
 * computed here, in display units, so the gnuplot scripts in scripts/ only draw.
 *
 * Every file is tab-separated text; lines starting with '#' describe the
 * columns. Latencies and times are in the units given (RepUnit); "NaN" marks a
 * value that does not exist (an interval without faults, a counter the trace
 * does not carry), which gnuplot leaves out.
 *
 *   latency CDF        latency  fraction_at_or_below
 *   percentile spec.   inv_1_minus_p  latency  percentile; the last row is the
 *                      exact maximum at 1/(1-p) = count (the last sample)
 *   histogram          center  low  high  faults  percent  density; log bins
 *                      (REP_PLOT_BINS_PER_OCTAVE per power of two, edges snapped
 *                      to the histogram's buckets); density is percent per decade
 *                      of latency, flat for a distribution uniform in log latency
 *   heat map           x  y  x_low  x_high  y_low  y_high  faults  rate (non-empty
 *                      cells; rate = faults per second of the interval's span)
 *   timeline           start  mid  faults  ok  failed  p50  p99  max  waiting
 *                      waiting_max  outstanding  outstanding_max  queued  queued_max
 *                      faults_per_s  ok_per_s  failed_per_s  span
 *   utilisation        a header row "start<TAB>mid<TAB>NAME: N workers...", then per
 *                      interval the percentage of each provider's workers that were busy
 *
 * A partial last interval (a run ending between interval boundaries) is
 * normalised by its span: rates, means and busy fractions are per the time the
 * run covered, and its mid point is the middle of that span.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-histogram.h"
#include "sim/report/rep-timeline.h"

#define REP_PLOT_BINS_PER_OCTAVE 8
#define REP_PLOT_MIN_P50         1   /* faults an interval needs for its p50 to be drawn */
#define REP_PLOT_MIN_P99         100 /* ... and for its p99: one fault above it on average */

typedef struct {
    double ns;         /* nanoseconds per unit */
    const char *label; /* "ns", "µs", "ms" or "s" */
} RepUnit;

/* rep_plot_latency_unit: the unit that shows a typical latency @ns (e.g. the
 * median) as a number from 1 to 999. */
RepUnit rep_plot_latency_unit(uint64_t ns);

/* rep_plot_time_unit: the largest unit in which a run of @length ns is at least
 * 2 units long (so its axis has several labelled ticks). */
RepUnit rep_plot_time_unit(uint64_t length);

/* rep_plot_log_bin: the log bin, floor(REP_PLOT_BINS_PER_OCTAVE * log2(mid)),
 * of the values [@low, @high) (mid is their geometric middle). */
int rep_plot_log_bin(uint64_t low, uint64_t high);

/* rep_plot_heatmap_range: the smallest and largest rate (faults per second) of
 * the heat map's non-empty cells; 0 and 0 when there are none. */
void rep_plot_heatmap_range(const RepTimeline *tl, double *lo, double *hi);

/* Each writer returns FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_plot_write_cdf(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_spectrum(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_histogram(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_heatmap(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                GError **error);
gboolean rep_plot_write_timeline(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                 GError **error);
/* rep_plot_write_devices: a header row (start, mid, then per device "NAME busy",
 * "NAME in service", "NAME waiting", "NAME reads/s"), then per interval the
 * percentage of the span with a read in service, the mean reads in service and
 * waiting for a slot, and reads submitted per second (rep-plot-resources.c). */
gboolean rep_plot_write_devices(const RepTimeline *tl, RepUnit tu, FILE *out, GError **error);

/* rep_plot_write_utilization: only providers with workers get a column; returns
 * their number in @n_columns. */
gboolean rep_plot_write_utilization(const RepTimeline *tl, RepUnit tu, FILE *out, guint *n_columns,
                                    GError **error);
