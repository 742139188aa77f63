/* latency.hgrm (see rep-hgrm.h).
 *
 * Invariants: rows rise in value and in total count; the last row is at
 * percentile 1 with the whole count; an empty histogram gives the header and
 * the footer only.
 */
#include "sim/report/rep-hgrm.h"

#include <inttypes.h>
#include <math.h>

#define TICKS_PER_HALF 5
#define SCALE          1000.0 /* ns per output unit (us) */

static void row(FILE *out, double value_ns, double pct, uint64_t total) {
    fprintf(out, "%12.3f %2.12f %10" PRIu64 " %14.2f\n", value_ns / SCALE, pct / 100.0, total,
            1.0 / (1.0 - pct / 100.0));
}

/* The next level after @pct, as HdrHistogram steps it. */
static double next_level(double pct) {
    int64_t halvings = (int64_t)(log(100.0 / (100.0 - pct)) / log(2.0)) + 1;
    double ticks = TICKS_PER_HALF * pow(2.0, (double)halvings);
    return pct + 100.0 / ticks;
}

static double stddev(const RepHistogram *h) {
    double mean = rep_histogram_mean(h), var = 0;
    for (size_t i = 0; i < REP_HIST_BUCKETS; i++) {
        if (h->counts[i] == 0)
            continue;
        double lo = (double)rep_histogram_bucket_low(i), hi = (double)rep_histogram_bucket_high(i);
        double mid = (lo + hi) / 2 - mean;
        var += mid * mid * (double)h->counts[i];
    }
    return h->count ? sqrt(var / (double)h->count) : 0.0;
}

gboolean rep_hgrm_write(const RepHistogram *h, FILE *out, GError **error) {
    fprintf(out, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount",
            "1/(1-Percentile)");
    double level = 0.0;
    uint64_t seen = 0;
    for (size_t i = 0; i < REP_HIST_BUCKETS && h->count; i++) {
        if (h->counts[i] == 0)
            continue;
        seen += h->counts[i];
        double pct = 100.0 * (double)seen / (double)h->count;
        double value = (double)MIN(rep_histogram_bucket_high(i), h->max);
        if (seen == h->count) { /* the last bucket reports one level, then 100% */
            row(out, value, level, seen);
            break;
        }
        while (level <= pct) {
            row(out, value, level, seen);
            level = next_level(level);
        }
    }
    if (h->count)
        fprintf(out, "%12.3f %2.12f %10" PRIu64 "\n", (double)h->max / SCALE, 1.0, h->count);
    fprintf(out, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", rep_histogram_mean(h) / SCALE,
            stddev(h) / SCALE);
    fprintf(out, "#[Max     = %12.3f, Total count    = %12" PRIu64 "]\n", (double)h->max / SCALE,
            h->count);
    fprintf(out, "#[Buckets = %12d, SubBuckets     = %12d]\n",
            REP_HIST_MAX_EXP - REP_HIST_SUB_BITS + 2, 1 << REP_HIST_SUB_BITS);
    if (fflush(out) != 0 || ferror(out)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write latency.hgrm");
        return FALSE;
    }
    return TRUE;
}
