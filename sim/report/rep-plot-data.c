/* Data files for the figures (see rep-plot-data.h).
 *
 * Invariants:
 *  1. coarse bins tile the value range in order and each is a union of whole
 *     histogram buckets, so regrouping never splits a bucket's count;
 *  2. CDF rows rise in both columns and end at fraction 1;
 *  3. a value that does not exist is written as NaN, never as 0.
 */
#include "sim/report/rep-plot-data.h"

#include "sim/report/rep-histogram-io.h"

#include <inttypes.h>
#include <math.h>

typedef struct {
    int index;          /* floor(REP_PLOT_BINS_PER_OCTAVE * log2(value)) */
    uint64_t low, high; /* values in the bin: [low, high) */
    uint64_t count;     /* samples */
} Bin;

static const RepUnit units[] = {{1.0, "ns"}, {1e3, "µs"}, {1e6, "ms"}, {1e9, "s"}};

RepUnit rep_plot_latency_unit(uint64_t ns) {
    for (size_t i = G_N_ELEMENTS(units); i-- > 1;)
        if ((double)ns >= units[i].ns)
            return units[i];
    return units[0];
}

RepUnit rep_plot_time_unit(uint64_t length) {
    for (size_t i = G_N_ELEMENTS(units); i-- > 1;)
        if ((double)length >= 2.0 * units[i].ns)
            return units[i];
    return units[0];
}

/* The values of histogram bucket @i as [low, high), 0 ns counted as 1 ns. */
static void bucket_range(size_t i, uint64_t *low, uint64_t *high) {
    *low = MAX(rep_histogram_bucket_low(i), (uint64_t)1);
    *high = MAX(rep_histogram_bucket_high(i) + 1, (uint64_t)2);
}

int rep_plot_log_bin(uint64_t low, uint64_t high) {
    return (int)floor(REP_PLOT_BINS_PER_OCTAVE * log2(sqrt((double)low * (double)high)));
}

/* The lower edge of log bin @k: the low end of the first bucket in it or after it. */
static uint64_t bin_edge(int k) {
    size_t b = rep_histogram_bucket_of(
        MAX((uint64_t)floor(exp2(k / (double)REP_PLOT_BINS_PER_OCTAVE)), (uint64_t)1));
    uint64_t lo, hi;
    for (;; b++) {
        bucket_range(b, &lo, &hi);
        if (rep_plot_log_bin(lo, hi) >= k || b + 1 == REP_HIST_BUCKETS)
            return lo;
    }
}

/* The histogram regrouped into log bins, empty ones left out; a bin spans its
 * whole width, [bin_edge(k), bin_edge(k + 1)), so neighbours touch. */
static GArray *log_bins(const RepHistogram *h) {
    GArray *bins = g_array_new(FALSE, FALSE, sizeof(Bin));
    for (size_t i = 0; i < REP_HIST_BUCKETS && h->count; i++) {
        if (h->counts[i] == 0)
            continue;
        Bin b = {0, 0, 0, h->counts[i]};
        bucket_range(i, &b.low, &b.high);
        b.index = rep_plot_log_bin(b.low, b.high);
        Bin *last = bins->len ? &g_array_index(bins, Bin, bins->len - 1) : NULL;
        if (last && last->index == b.index) {
            last->count += b.count;
        } else {
            b.low = bin_edge(b.index);
            b.high = MAX(bin_edge(b.index + 1), b.high);
            g_array_append_val(bins, b);
        }
    }
    return bins;
}

/* A latency for a log axis: 0 ns is shown as 1 ns. */
static double lat(uint64_t ns, RepUnit u) { return (double)MAX(ns, (uint64_t)1) / u.ns; }

static gboolean done(FILE *out, const char *what, GError **error) {
    if (!ferror(out))
        return TRUE;
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write the %s data", what);
    return FALSE;
}

gboolean rep_plot_write_cdf(const RepHistogram *h, RepUnit lu, FILE *out, GError **error) {
    fprintf(out, "# latency (%s)\tfraction of faults at or below\n", lu.label);
    uint64_t seen = 0;
    for (size_t i = 0; i < REP_HIST_BUCKETS && h->count; i++) {
        if (h->counts[i] == 0)
            continue;
        uint64_t lo = MAX(rep_histogram_bucket_low(i), h->min);
        uint64_t hi = MIN(rep_histogram_bucket_high(i) + 1, MAX(h->max, lo));
        fprintf(out, "%.6g\t%.9g\n", lat(lo, lu), (double)seen / (double)h->count);
        seen += h->counts[i];
        fprintf(out, "%.6g\t%.9g\n", lat(hi, lu), (double)seen / (double)h->count);
    }
    return done(out, "CDF", error);
}

static void spectrum_row(const RepHistogram *h, double q, RepUnit lu, FILE *out) {
    fprintf(out, "%.10g\t%.6g\t%.10g\n", 1.0 / (1.0 - q), lat(rep_histogram_quantile(h, q), lu),
            q * 100.0);
}

gboolean rep_plot_write_spectrum(const RepHistogram *h, RepUnit lu, FILE *out, GError **error) {
    fprintf(out, "# 1/(1-p)\tlatency (%s)\tpercentile p (%%)\n", lu.label);
    g_autoptr(GArray) levels = rep_histogram_spectrum_levels(h);
    for (guint i = 0; i < levels->len; i++)
        spectrum_row(h, g_array_index(levels, double, i), lu, out);
    /* The last sample: 1/(1-p) = count at p = 1 - 1/count, the exact maximum. */
    if (h->count)
        fprintf(out, "%.10g\t%.6g\t%.10g\n", (double)h->count, lat(h->max, lu),
                100.0 * (1.0 - 1.0 / (double)h->count));
    return done(out, "spectrum", error);
}

gboolean rep_plot_write_histogram(const RepHistogram *h, RepUnit lu, FILE *out, GError **error) {
    fprintf(out,
            "# log bins: %d per power of two (edges on the histogram's buckets); latency in %s\n",
            REP_PLOT_BINS_PER_OCTAVE, lu.label);
    fprintf(out, "# density: percent of faults per decade of latency (percent / log10(high/low)),\n"
                 "# so a distribution uniform in log latency is flat whatever the bin widths\n");
    fprintf(out, "# center\tlow\thigh\tfaults\tpercent\tdensity (a blank line where bins are "
                 "empty)\n");
    g_autoptr(GArray) bins = log_bins(h);
    for (guint i = 0; i < bins->len; i++) {
        const Bin *b = &g_array_index(bins, Bin, i);
        double lo = (double)b->low / lu.ns, hi = (double)b->high / lu.ns;
        double pct = 100.0 * (double)b->count / (double)h->count;
        if (i > 0 && g_array_index(bins, Bin, i - 1).high != b->low)
            fputc('\n', out); /* empty bins between: a gap, so no line is drawn across it */
        fprintf(out, "%.6g\t%.6g\t%.6g\t%" PRIu64 "\t%.6g\t%.6g\n", sqrt(lo * hi), lo, hi, b->count,
                pct, pct / log10(hi / lo));
    }
    return done(out, "histogram", error);
}

gboolean rep_plot_write_heatmap(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                GError **error) {
    fprintf(out, "# time in %s, latency in %s, %d log latency bins per power of two\n", tu.label,
            lu.label, REP_PLOT_BINS_PER_OCTAVE);
    fprintf(out, "# rate: faults per second of the interval (a partial last interval counts "
                 "only its span)\n");
    fprintf(out, "# x\ty\tx_low\tx_high\ty_low\ty_high\tfaults\trate\n");
    for (guint i = 0; i < rep_timeline_n(tl); i++) {
        uint64_t span = rep_timeline_span(tl, i);
        double x0 = (double)rep_timeline_start(tl, i) / tu.ns, x1 = x0 + (double)span / tu.ns;
        g_autoptr(GArray) bins = log_bins(rep_timeline_latency(tl, i));
        for (guint k = 0; k < bins->len && span; k++) {
            const Bin *b = &g_array_index(bins, Bin, k);
            double lo = (double)b->low / lu.ns, hi = (double)b->high / lu.ns;
            fprintf(out, "%.9g\t%.6g\t%.9g\t%.9g\t%.6g\t%.6g\t%" PRIu64 "\t%.6g\n", (x0 + x1) / 2,
                    sqrt(lo * hi), x0, x1, lo, hi, b->count, (double)b->count * 1e9 / (double)span);
        }
    }
    return done(out, "heat map", error);
}

static void put_value(FILE *out, gboolean known, double v) {
    if (known)
        fprintf(out, "\t%.6g", v);
    else
        fputs("\tNaN", out);
}

static void timeline_row(const RepTimeline *tl, guint i, RepUnit tu, RepUnit lu, FILE *out) {
    double x0 = (double)rep_timeline_start(tl, i) / tu.ns;
    uint64_t span = rep_timeline_span(tl, i);
    double width = (double)span / tu.ns, per_s = span ? 1e9 / (double)span : 0;
    const RepHistogram *h = rep_timeline_latency(tl, i);
    uint64_t failed = rep_timeline_failed(tl, i);
    fprintf(out, "%.9g\t%.9g\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64, x0, x0 + width / 2, h->count,
            h->count - failed, failed);
    put_value(out, h->count >= REP_PLOT_MIN_P50, lat(rep_histogram_quantile(h, 0.5), lu));
    put_value(out, h->count >= REP_PLOT_MIN_P99, lat(rep_histogram_quantile(h, 0.99), lu));
    put_value(out, h->count > 0, lat(h->max, lu));
    for (int s = 0; s <= REP_TL_PORT; s++) {
        RepTimelineGauge g = rep_timeline_gauge(tl, s, i);
        put_value(out, g.known, g.mean);
        put_value(out, g.known, g.max);
    }
    fprintf(out, "\t%.6g\t%.6g\t%.6g\t%.9g\t%.6g", (double)h->count * per_s,
            (double)(h->count - failed) * per_s, (double)failed * per_s, width,
            (double)rep_timeline_reclaimed(tl, i) * per_s);
    for (int s = REP_TL_PORT + 1; s < REP_TL_SERIES_COUNT; s++) { /* appended: columns stay */
        RepTimelineGauge g = rep_timeline_gauge(tl, s, i);
        put_value(out, g.known, g.mean);
        put_value(out, g.known, g.max);
    }
    if (rep_timeline_has_lock(tl)) /* appended only then: other runs' columns stay */
        fprintf(out, "\t%.6g", rep_timeline_lock_waiting(tl, i));
    fputc('\n', out);
}

gboolean rep_plot_write_timeline(const RepTimeline *tl, RepUnit tu, RepUnit lu, FILE *out,
                                 GError **error) {
    fprintf(out,
            "# time in %s, latency in %s; per interval of %.6g %s (the last may be shorter: "
            "its span is the last column, and rates are per second of it)\n",
            tu.label, lu.label, (double)rep_timeline_interval(tl) / tu.ns, tu.label);
    fprintf(out, "# p50 needs %d faults in the interval, p99 %d; NaN otherwise\n", REP_PLOT_MIN_P50,
            REP_PLOT_MIN_P99);
    fprintf(out, "# start\tmid\tfaults\tok\tfailed\tp50\tp99\tmax\twaiting\twaiting_max"
                 "\toutstanding\toutstanding_max\tqueued\tqueued_max\tfaults_per_s\tok_per_s"
                 "\tfailed_per_s\tspan\treclaimed_per_s");
    for (int s = REP_TL_PORT + 1; s < REP_TL_SERIES_COUNT; s++)
        fprintf(out, "\t%s\t%s_max", rep_timeline_series_name(s), rep_timeline_series_name(s));
    if (rep_timeline_has_lock(tl))
        fputs("\tlock_waiting", out);
    fputc('\n', out);
    for (guint i = 0; i < rep_timeline_n(tl); i++)
        timeline_row(tl, i, tu, lu, out);
    return done(out, "timeline", error);
}

gboolean rep_plot_write_utilization(const RepTimeline *tl, RepUnit tu, FILE *out, guint *n_columns,
                                    GError **error) {
    fprintf(out, "# time in %s; percentage of each provider's workers busy serving\n", tu.label);
    fprintf(out, "# the next row names the columns (tab-separated)\n");
    fputs("start\tmid", out);
    *n_columns = 0;
    for (guint p = 0; p < rep_timeline_n_providers(tl); p++) {
        if (rep_timeline_workers(tl, p) == 0)
            continue;
        guint w = rep_timeline_workers(tl, p);
        fprintf(out, "\t%s: %u worker%s", rep_timeline_provider(tl, p), w, w == 1 ? "" : "s");
        (*n_columns)++;
    }
    fputc('\n', out);
    for (guint i = 0; i < rep_timeline_n(tl); i++) {
        double x0 = (double)rep_timeline_start(tl, i) / tu.ns;
        double width = (double)rep_timeline_span(tl, i) / tu.ns;
        fprintf(out, "%.9g\t%.9g", x0, x0 + width / 2);
        for (guint p = 0; p < rep_timeline_n_providers(tl); p++)
            if (rep_timeline_workers(tl, p) > 0)
                fprintf(out, "\t%.6g",
                        100.0 * rep_timeline_busy(tl, p, i) / rep_timeline_workers(tl, p));
        fputc('\n', out);
    }
    return done(out, "utilisation", error);
}

void rep_plot_heatmap_range(const RepTimeline *tl, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = 0;
    for (guint i = 0; i < rep_timeline_n(tl); i++) {
        uint64_t span = rep_timeline_span(tl, i);
        g_autoptr(GArray) bins = log_bins(rep_timeline_latency(tl, i));
        for (guint k = 0; k < bins->len && span; k++) {
            double rate = (double)g_array_index(bins, Bin, k).count * 1e9 / (double)span;
            *lo = MIN(*lo, rate);
            *hi = MAX(*hi, rate);
        }
    }
    if (*hi == 0)
        *lo = 0;
}
