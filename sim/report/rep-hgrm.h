/* latency.hgrm: a latency histogram in HdrHistogram's percentile distribution
 * format (what its outputPercentileDistribution prints), so HdrHistogram's
 * plotter and log analysers read a pagesim run directly:
 *
 *          Value     Percentile TotalCount 1/(1-Percentile)
 *
 *        80.127 0.000000000000          1           1.00
 *        ...
 *      5012.991 1.000000000000     352470
 *   #[Mean    =       81.403, StdDeviation   =       12.040]
 *   #[Max     =     5012.991, Total count    =       352470]
 *   #[Buckets =           36, SubBuckets     =          128]
 *
 * Values are in microseconds with 3 decimals (ns resolution). Rows follow
 * HdrHistogram's percentile iteration: 5 ticks per halving of the distance to
 * 100%; a row reports the first bucket whose cumulative count reaches the level
 * (its highest value, the total count up to it), and one bucket may report
 * several levels; once the last bucket is reached a final row at 100% gives the
 * exact maximum. Mean is exact; the standard deviation is computed from bucket
 * midpoints, as HdrHistogram does.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "sim/report/rep-histogram.h"

/* rep_hgrm_write: writes @h to @out. Returns FALSE with G_FILE_ERROR_IO if @out failed. */
gboolean rep_hgrm_write(const RepHistogram *h, FILE *out, GError **error);
