/* The data files behind `pagesim plot`'s figures: everything a figure shows is
 * computed here, in display units, so the gnuplot scripts in scripts/ only draw.
 *
 * Every file is tab-separated text; lines starting with '#' describe the
 * columns. Latencies and times are in the units given (RepUnit); "NaN" marks a
 * value that does not exist (an interval without faults, a counter the trace
 * does not carry), which gnuplot leaves out.
 *
 *   latency CDF        latency  fraction_at_or_below
 *   percentile spec.   inv_1_minus_p  latency  percentile
 *   histogram          center  low  high  faults  percent  base  (8 bins per octave;
 *                      base is a power of ten below every percent, for a log axis)
 *   heat map           x  y  x_low  x_high  y_low  y_high  faults  (non-empty cells)
 *   timeline           start  mid  faults  ok  failed  p50  p99  max  waiting  waiting_max
 *                      outstanding  outstanding_max  queued  queued_max
 *   utilisation        a header row "start<TAB>mid<TAB>NAME: N workers...", then per
 *                      interval the percentage of each provider's workers that were busy
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-histogram.h"
#include "sim/report/rep-timeline.h"

#define REP_PLOT_BINS_PER_OCTAVE 8

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

/* rep_plot_bin_of: the coarse bin (REP_PLOT_BINS_PER_OCTAVE per power of two)
 * holding the value @v: its lowest and highest value. Bins are unions of whole
 * histogram buckets. */
void rep_plot_bin_of(uint64_t v, uint64_t *low, uint64_t *high);

/* Each writer returns FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_plot_write_cdf(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_spectrum(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_histogram(const RepHistogram *h, RepUnit lu, FILE *out, GError **error);
gboolean rep_plot_write_heatmap(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                GError **error);
gboolean rep_plot_write_timeline(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                 GError **error);
/* rep_plot_write_utilization: only providers with workers get a column; returns
 * their number in @n_columns. */
gboolean rep_plot_write_utilization(const RepTimeline *tl, RepUnit tu, FILE *out, guint *n_columns,
                                    GError **error);
