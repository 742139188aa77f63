/* Histogram files: the percentile spectrum's levels and rows, and the bucket
 * file's round trip (identical quantiles), with its errors. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sim/report/rep-histogram-io.h"

static char *write_to_string(gboolean (*fn)(const RepHistogram *, const char *, FILE *, GError **),
                             const RepHistogram *h) {
    FILE *f = tmpfile();
    g_autoptr(GError) err = NULL;
    g_assert_true(fn(h, "fault latency", f, &err));
    g_assert_no_error(err);
    long n = ftell(f);
    rewind(f);
    char *s = g_malloc0((gsize)n + 1);
    g_assert_cmpuint(fread(s, 1, (size_t)n, f), ==, (size_t)n);
    fclose(f);
    return s;
}

static RepHistogram *sample(void) {
    RepHistogram *h = rep_histogram_new();
    GRand *r = g_rand_new_with_seed(3);
    for (int i = 0; i < 100000; i++)
        rep_histogram_record(h, (uint64_t)exp(g_rand_double_range(r, log(5e3), log(5e6))));
    g_rand_free(r);
    return h;
}

/* HdrHistogram's levels: 0, 10, ..., 50, 55, ..., 75, 77.5, ... */
static void test_levels(void) {
    g_autoptr(RepHistogram) h = sample();
    g_autoptr(GArray) levels = rep_histogram_spectrum_levels(h);
    static const double first[] = {0, .1, .2, .3, .4, .5, .55, .6, .65, .7, .75, .775};
    for (size_t i = 0; i < G_N_ELEMENTS(first); i++)
        g_assert_cmpfloat_with_epsilon(g_array_index(levels, double, i), first[i], 1e-12);
    double last = g_array_index(levels, double, levels->len - 1);
    g_assert_cmpuint((uint64_t)ceil(last * 100000), <, 100000);
    g_assert_cmpfloat(last, >, 0.9999);
    g_autoptr(RepHistogram) empty = rep_histogram_new();
    g_autoptr(GArray) none = rep_histogram_spectrum_levels(empty);
    g_assert_cmpuint(none->len, ==, 0);
}

static void test_spectrum_rows(void) {
    g_autoptr(RepHistogram) h = sample();
    g_autofree char *text = write_to_string(rep_histogram_write_spectrum, h);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_assert_true(g_str_has_prefix(lines[0], "# pagesim percentile spectrum of fault latency"));
    g_assert_cmpstr(lines[1], ==, "# percentile\tvalue_ns\tcount\tinv_1_minus_p");
    double prev_p = -1, prev_v = -1, prev_c = -1;
    guint rows = 0;
    for (guint i = 2; lines[i] && lines[i][0]; i++, rows++) {
        double p, v, c;
        char inv[32];
        g_assert_cmpint(sscanf(lines[i], "%lf %lf %lf %31s", &p, &v, &c, inv), ==, 4);
        g_assert_cmpfloat(p, >, prev_p);
        g_assert_cmpfloat(v, >=, prev_v);
        g_assert_cmpfloat(c, >=, prev_c);
        if (p < 100)
            g_assert_cmpfloat(fabs(g_ascii_strtod(inv, NULL) * (1 - p / 100) - 1), <, 1e-4);
        prev_p = p, prev_v = v, prev_c = c;
    }
    g_assert_cmpfloat(prev_p, ==, 100);
    g_assert_cmpfloat(prev_v, ==, (double)h->max);
    g_assert_cmpfloat(prev_c, ==, 100000);
    g_assert_true(g_str_has_suffix(lines[rows + 1], "\tinf"));
    /* The 50% row is what summary.json reports as p50. */
    g_autofree char *p50 =
        g_strdup_printf("\n50\t%" G_GUINT64_FORMAT "\t", rep_histogram_quantile(h, 0.5));
    g_assert_nonnull(strstr(text, p50));
}

static void test_buckets_round_trip(void) {
    g_autoptr(RepHistogram) h = sample();
    g_autofree char *text = write_to_string(rep_histogram_write_buckets, h);
    g_autofree char *dir = g_dir_make_tmp("rep-hist-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "latency-histogram.tsv", NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_autoptr(GError) err = NULL;
    g_autoptr(RepHistogram) back = rep_histogram_read_buckets(path, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(back->count, ==, h->count);
    g_assert_cmpuint(back->min, ==, h->min);
    g_assert_cmpuint(back->max, ==, h->max);
    g_assert_cmpint(memcmp(back->counts, h->counts, sizeof h->counts), ==, 0);
    g_assert_cmpfloat_with_epsilon(rep_histogram_mean(back), rep_histogram_mean(h), 1e-3);
    for (double q = 0; q <= 1.0; q += 0.0125)
        g_assert_cmpuint(rep_histogram_quantile(back, q), ==, rep_histogram_quantile(h, q));
    g_assert_true(g_file_set_contents(path, "# low_ns\thigh_ns\tcount\n100\t200\t3\n", -1, NULL));
    g_autoptr(RepHistogram) bad = rep_histogram_read_buckets(path, &err);
    g_assert_null(bad);
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL);
    g_assert_nonnull(strstr(err->message, ":2: not a bucket"));
    g_unlink(path);
    g_rmdir(dir);
}

static void test_empty(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    g_autofree char *spectrum = write_to_string(rep_histogram_write_spectrum, h);
    g_autofree char *buckets = write_to_string(rep_histogram_write_buckets, h);
    g_assert_nonnull(strstr(spectrum, "0 samples"));
    g_auto(GStrv) lines = g_strsplit(buckets, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4);
}

/* The rows by hand: 5 ns twice (bucket [5, 5]), 300 ns (bucket 278: [300,
 * 301]) and 10^6 ns (top bit 19, shift 12: [999424, 1003519]). */
static void test_buckets_by_hand(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    rep_histogram_record(h, 5);
    rep_histogram_record(h, 5);
    rep_histogram_record(h, 300);
    rep_histogram_record(h, 1000000);
    g_autofree char *text = write_to_string(rep_histogram_write_buckets, h);
    const char *rows = strstr(text, "# low_ns\thigh_ns\tcount\n");
    g_assert_nonnull(rows);
    g_assert_cmpstr(rows + strlen("# low_ns\thigh_ns\tcount\n"), ==,
                    "5\t5\t2\n300\t301\t1\n999424\t1003519\t1\n");
}

/* Every bucket counted (more rows than one buffer holds), with counts up to
 * 2^40: the rows are what fprintf makes of them. */
static void test_buckets_all_rows(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        h->counts[b] = (uint64_t)1 << (b % 41);
    h->count = 1;
    g_autofree char *text = write_to_string(rep_histogram_write_buckets, h);
    GString *want = g_string_new(NULL);
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        g_string_append_printf(
            want, "%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\n",
            rep_histogram_bucket_low(b), rep_histogram_bucket_high(b), h->counts[b]);
    const char *rows = strstr(text, "# low_ns\thigh_ns\tcount\n");
    g_assert_nonnull(rows);
    g_assert_cmpstr(rows + strlen("# low_ns\thigh_ns\tcount\n"), ==, want->str);
    g_string_free(want, TRUE);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rep/histogram-io/levels", test_levels);
    g_test_add_func("/rep/histogram-io/spectrum-rows", test_spectrum_rows);
    g_test_add_func("/rep/histogram-io/buckets-round-trip", test_buckets_round_trip);
    g_test_add_func("/rep/histogram-io/empty", test_empty);
    g_test_add_func("/rep/histogram-io/buckets-by-hand", test_buckets_by_hand);
    g_test_add_func("/rep/histogram-io/buckets-all-rows", test_buckets_all_rows);
    return g_test_run();
}
