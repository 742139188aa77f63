/* Latency histograms as files (see rep-histogram-io.h).
 *
 * Invariants:
 *  1. spectrum rows have rising percentiles and non-decreasing values and counts,
 *     and the last row is 100 with the exact maximum;
 *  2. a histogram read back from its buckets file has the same counts per bucket,
 *     count, min and max as the one written, so its quantiles are identical.
 */
#include "sim/report/rep-histogram-io.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/rep-digits.h"

static gboolean check_stream(FILE *out, const char *what, GError **error) {
    if (!ferror(out))
        return TRUE;
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write the %s", what);
    return FALSE;
}

/* A spectrum row for quantile @q: its value (rep_histogram_quantile) and the
 * count through its rank, the samples in the buckets up to the one holding the
 * rank-th smallest (rank >= 1), from walk @w: the rows' quantiles grow, so
 * one walk serves them all. */
static void spectrum_row(const RepHistogram *h, double q, RepHistWalk *w, FILE *out) {
    uint64_t rank = (uint64_t)ceil(q * (double)h->count);
    gboolean reached = rep_histogram_walk_to(h, w, MAX((uint64_t)1, rank));
    uint64_t value = rank == 0 ? h->min : rep_histogram_walk_value(h, w, reached);
    fprintf(out, "%.10g\t%" PRIu64 "\t%" PRIu64 "\t%.10g\n", q * 100.0, value, w->seen,
            1.0 / (1.0 - q));
}

GArray *rep_histogram_spectrum_levels(const RepHistogram *h) {
    GArray *levels = g_array_new(FALSE, FALSE, sizeof(double));
    for (int level = 0; level < 64 && h->count; level++) {
        double base = 1.0 - ldexp(1.0, -level);
        double step = ldexp(1.0, -level - 1) / REP_SPECTRUM_TICKS;
        for (int k = 0; k < REP_SPECTRUM_TICKS; k++) {
            double q = base + k * step;
            if ((uint64_t)ceil(q * (double)h->count) >= h->count)
                return levels;
            g_array_append_val(levels, q);
        }
    }
    return levels;
}

gboolean rep_histogram_write_spectrum(const RepHistogram *h, const char *what, FILE *out,
                                      GError **error) {
    fprintf(out,
            "# pagesim percentile spectrum of %s: %" PRIu64 " samples, min %" PRIu64
            " ns, mean %.1f ns, max %" PRIu64 " ns\n",
            what, h->count, h->count ? h->min : 0, rep_histogram_mean(h), h->max);
    fprintf(out, "# percentile\tvalue_ns\tcount\tinv_1_minus_p\n");
    if (h->count == 0)
        return check_stream(out, "latency spectrum", error);
    g_autoptr(GArray) levels = rep_histogram_spectrum_levels(h);
    RepHistWalk w = {0};
    for (guint i = 0; i < levels->len; i++)
        spectrum_row(h, g_array_index(levels, double, i), &w, out);
    fprintf(out, "100\t%" PRIu64 "\t%" PRIu64 "\tinf\n", h->max, h->count);
    return check_stream(out, "latency spectrum", error);
}

gboolean rep_histogram_write_buckets(const RepHistogram *h, const char *what, FILE *out,
                                     GError **error) {
    fprintf(out, "# pagesim latency histogram of %s: log-linear buckets, 128 per power of two\n",
            what);
    fprintf(out, "# count %" PRIu64 " min %" PRIu64 " max %" PRIu64 " mean %.3f\n", h->count,
            h->count ? h->min : 0, h->max, rep_histogram_mean(h));
    fprintf(out, "# low_ns\thigh_ns\tcount\n");
    /* the rows as "%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n" would be, through
     * one buffer (a row is at most 3 * 21 bytes) */
    char buf[4096], *p = buf;
    for (size_t i = 0; i < REP_HIST_BUCKETS; i++) {
        if (h->counts[i] == 0)
            continue;
        p = rep_put_room(buf, sizeof buf, p, 64, out);
        p = rep_put_u64(p, rep_histogram_bucket_low(i));
        *p++ = '\t';
        p = rep_put_u64(p, rep_histogram_bucket_high(i));
        *p++ = '\t';
        p = rep_put_u64(p, h->counts[i]);
        *p++ = '\n';
    }
    fwrite(buf, 1, (size_t)(p - buf), out);
    return check_stream(out, "latency histogram", error);
}

/* Reads one row "low high count" into @h. Returns FALSE if the row is not a
 * bucket of the geometry. */
static gboolean read_row(RepHistogram *h, const char *line) {
    uint64_t lo, hi, n;
    char tail;
    if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %c", &lo, &hi, &n, &tail) != 3)
        return FALSE;
    size_t b = rep_histogram_bucket_of(lo);
    if (rep_histogram_bucket_low(b) != lo || rep_histogram_bucket_high(b) != hi)
        return FALSE;
    h->counts[b] += n;
    h->count += n;
    h->min = MIN(h->min, lo);
    h->max = MAX(h->max, hi);
    h->sum += (double)n * ((double)lo + (double)(hi - lo) / 2.0);
    return TRUE;
}

/* Applies the "# count N min MIN max MAX mean MEAN" comment, if @line is one. */
static void read_extremes(const char *line, uint64_t *min, uint64_t *max, double *mean) {
    uint64_t n;
    sscanf(line, "# count %" SCNu64 " min %" SCNu64 " max %" SCNu64 " mean %lf", &n, min, max,
           mean);
}

static gboolean read_lines(RepHistogram *h, FILE *in, const char *path, GError **error) {
    char line[512];
    guint lineno = 0;
    uint64_t min = UINT64_MAX, max = 0;
    double mean = -1.0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        if (line[0] == '#') {
            read_extremes(line, &min, &max, &mean);
            continue;
        }
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (!read_row(h, line)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "%s:%u: not a bucket of pagesim's latency histogram", path, lineno);
            return FALSE;
        }
    }
    if (h->count && min != UINT64_MAX && max >= min) {
        h->min = MAX(h->min, min);
        h->max = MIN(h->max, max);
    }
    if (h->count && mean >= 0)
        h->sum = mean * (double)h->count;
    return TRUE;
}

RepHistogram *rep_histogram_read_buckets(const char *path, GError **error) {
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot open %s: %s", path,
                    g_strerror(saved));
        return NULL;
    }
    g_autoptr(RepHistogram) h = rep_histogram_new();
    gboolean ok = read_lines(h, in, path, error);
    if (ok && ferror(in)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot read %s", path);
        ok = FALSE;
    }
    fclose(in);
    return ok ? g_steal_pointer(&h) : NULL;
}
