/* Latency histograms as files: the percentile spectrum (latency-spectrum.tsv),
 * the non-empty buckets (latency-histogram.tsv), and reading the buckets back,
 * which is how `pagesim plot` gets a run's exact histogram.
 *
 * Both files are tab-separated text with '#' comment lines first; numbers are
 * nanoseconds. latency-spectrum.tsv has one row per percentile level, in the
 * manner of HdrHistogram's percentile output: five levels per halving of the
 * distance to 100% (0, 10, ..., 50, 55, ..., 75, 77.5, ...) until every sample
 * is counted, then a last row at 100 (the exact maximum, 1/(1-p) = inf):
 *
 *   # percentile  value_ns  count  inv_1_minus_p
 *
 * where value_ns is what summary.json reports for that quantile (the bucket's
 * midpoint, clamped to the exact min and max) and count is the number of samples
 * at or below the bucket holding it. latency-histogram.tsv has one row per
 * non-empty bucket:
 *
 *   # low_ns  high_ns  count
 *
 * after a comment "# count N min MIN max MAX mean MEAN" that makes the exact
 * extremes and the mean survive the round trip.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-histogram.h"

#define REP_SPECTRUM_TICKS 5 /* percentile levels per halving of the distance to 100% */

/* rep_histogram_spectrum_levels: (transfer full) the quantiles (in [0, 1), as
 * doubles) of the spectrum's rows below 100%: REP_SPECTRUM_TICKS per halving of
 * the distance to 1, up to the last level whose rank is below the count. Empty
 * for an empty histogram. */
GArray *rep_histogram_spectrum_levels(const RepHistogram *h);

/* rep_histogram_write_spectrum: writes @h as latency-spectrum.tsv to @out, with
 * @what (e.g. "fault latency") in the first comment line. An empty histogram
 * gives the comments only. Returns FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_histogram_write_spectrum(const RepHistogram *h, const char *what, FILE *out,
                                      GError **error);

/* rep_histogram_write_buckets: writes @h as latency-histogram.tsv to @out.
 * Returns FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_histogram_write_buckets(const RepHistogram *h, const char *what, FILE *out,
                                     GError **error);

/* rep_histogram_read_buckets: (transfer full) the histogram in the
 * latency-histogram.tsv file at @path. Returns NULL and sets @error (G_FILE_ERROR
 * for I/O; G_FILE_ERROR_INVAL, with file and line, for a row that is not a bucket
 * of this histogram's geometry). */
RepHistogram *rep_histogram_read_buckets(const char *path, GError **error);
