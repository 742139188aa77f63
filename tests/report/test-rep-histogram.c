/* Log-linear histogram: bucket geometry, the promised relative error, exact
 * extremes, percentiles of known samples and merging. */
#include <math.h>
#include <string.h>

#include "sim/report/rep-figures-cells.h"
#include "sim/report/rep-hist-paged.h"
#include "sim/report/rep-histogram.h"

static void test_small_values_exact(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (uint64_t v = 0; v < 128; v++)
        rep_histogram_record(h, v);
    for (uint64_t v = 0; v < 128; v++) {
        size_t b = rep_histogram_bucket_of(v);
        g_assert_cmpuint(rep_histogram_bucket_low(b), ==, v);
        g_assert_cmpuint(rep_histogram_bucket_high(b), ==, v);
        g_assert_cmpuint(h->counts[b], ==, 1);
    }
    g_assert_cmpuint(rep_histogram_quantile(h, 0.5), ==, 63);
}

/* Every value from 1 ns to one hour lies in its bucket, and every bucket is at
 * most 1/128 of its lowest value wide, so a midpoint is within 1% of any member. */
static void test_relative_error_bound(void) {
    GRand *r = g_rand_new_with_seed(7);
    const uint64_t hour = 3600ULL * 1000000000ULL;
    for (int i = 0; i < 1000000; i++) {
        uint64_t v = (uint64_t)exp(g_rand_double_range(r, 0.0, log((double)hour)));
        size_t b = rep_histogram_bucket_of(v);
        uint64_t lo = rep_histogram_bucket_low(b), hi = rep_histogram_bucket_high(b);
        g_assert_cmpuint(lo, <=, v);
        g_assert_cmpuint(v, <=, hi);
        uint64_t mid = lo + (hi - lo) / 2;
        double err = fabs((double)mid - (double)v) / (double)v;
        g_assert_cmpfloat(err, <=, 0.01);
    }
    g_assert_cmpuint(rep_histogram_bucket_of(hour), <, REP_HIST_BUCKETS - 1);
    g_rand_free(r);
}

/* Buckets tile the range: each starts one past the end of the previous one. */
static void test_buckets_contiguous(void) {
    for (size_t b = 1; b < REP_HIST_BUCKETS; b++)
        g_assert_cmpuint(rep_histogram_bucket_low(b), ==, rep_histogram_bucket_high(b - 1) + 1);
}

static void test_quantiles_of_known_samples(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    for (uint64_t v = 1; v <= 1000000; v++)
        rep_histogram_record(h, v * 1000);
    g_assert_cmpuint(h->count, ==, 1000000);
    g_assert_cmpuint(rep_histogram_quantile(h, 0.0), ==, 1000);
    g_assert_cmpuint(rep_histogram_quantile(h, 1.0), ==, 1000000000);
    const double qs[] = {0.01, 0.5, 0.9, 0.99, 0.999, 0.9999};
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++) {
        double want = ceil(qs[i] * 1e6) * 1000.0;
        double got = (double)rep_histogram_quantile(h, qs[i]);
        g_assert_cmpfloat(fabs(got - want) / want, <=, 0.01);
    }
    g_assert_cmpfloat(rep_histogram_mean(h), ==, 500000.5 * 1000.0);
}

static void test_empty_and_clamped(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    g_assert_cmpuint(rep_histogram_quantile(h, 0.5), ==, 0);
    g_assert_cmpfloat(rep_histogram_mean(h), ==, 0.0);
    rep_histogram_record(h, UINT64_MAX);
    g_assert_cmpuint(h->clamped, ==, 1);
    g_assert_cmpuint(h->counts[REP_HIST_BUCKETS - 1], ==, 1);
    g_assert_cmpuint(rep_histogram_quantile(h, 0.5), ==, UINT64_MAX);
}

/* The layout of rep-histogram.c, written out step by step: exact below 2^7;
 * [2^e, 2^(e+1)) in 128 buckets from (e - 6) * 128; 2^43 and above in the last. */
static size_t layout_bucket(uint64_t v) {
    if (v < 128)
        return (size_t)v;
    int e = 0;
    while (e < 63 && (v >> (e + 1)) != 0)
        e++;
    if (e > 42)
        return REP_HIST_BUCKETS - 1;
    uint64_t width = (uint64_t)1 << (e - 7);
    return (size_t)(e - 6) * 128 + (size_t)((v - ((uint64_t)1 << e)) / width);
}

/* bucket_of (clz, no branch in the exact range) against the layout: every
 * value below 2^17, every power of two and its neighbours, random values. */
static void test_bucket_against_layout(void) {
    for (uint64_t v = 0; v < (1u << 17); v++)
        g_assert_cmpuint(rep_histogram_bucket_of(v), ==, layout_bucket(v));
    for (int e = 0; e < 64; e++)
        for (int d = -1; d <= 1; d++) {
            uint64_t v = ((uint64_t)1 << e) + (uint64_t)(int64_t)d;
            g_assert_cmpuint(rep_histogram_bucket_of(v), ==, layout_bucket(v));
        }
    g_assert_cmpuint(rep_histogram_bucket_of(UINT64_MAX), ==, REP_HIST_BUCKETS - 1);
    /* the top bucket of [2^42, 2^43) is the last one too: 2^35 wide */
    g_assert_cmpuint(rep_histogram_bucket_of(((uint64_t)1 << 43) - 1), ==, REP_HIST_BUCKETS - 1);
    g_assert_cmpuint(rep_histogram_bucket_of(((uint64_t)1 << 43) - ((uint64_t)1 << 35)), ==,
                     REP_HIST_BUCKETS - 1);
    g_assert_cmpuint(rep_histogram_bucket_of(((uint64_t)1 << 43) - ((uint64_t)1 << 35) - 1), ==,
                     REP_HIST_BUCKETS - 2);
    GRand *r = g_rand_new_with_seed(11);
    for (int i = 0; i < 200000; i++) {
        uint64_t v = ((uint64_t)g_rand_int(r) << 32 | g_rand_int(r)) >> g_rand_int_range(r, 0, 64);
        g_assert_cmpuint(rep_histogram_bucket_of(v), ==, layout_bucket(v));
    }
    g_rand_free(r);
}

static void test_merge(void) {
    g_autoptr(RepHistogram) a = rep_histogram_new();
    g_autoptr(RepHistogram) b = rep_histogram_new();
    g_autoptr(RepHistogram) all = rep_histogram_new();
    for (uint64_t v = 1; v < 100000; v += 7) {
        rep_histogram_record(v % 2 ? a : b, v * v);
        rep_histogram_record(all, v * v);
    }
    rep_histogram_merge(a, b);
    g_assert_cmpuint(a->count, ==, all->count);
    g_assert_cmpuint(a->min, ==, all->min);
    g_assert_cmpuint(a->max, ==, all->max);
    g_assert_cmpmem(a->counts, sizeof(a->counts), all->counts, sizeof(all->counts));
    g_assert_cmpuint(rep_histogram_quantile(a, 0.99), ==, rep_histogram_quantile(all, 0.99));
}

/* rep_figures__place32 then rep_figures__fold32 (the figures' cells: 32-bit
 * counts beside the histogram): buckets worked by hand (300 is 128 + 300 / 2
 * with shift 1; 1000 is 2 x 128 + 1000 / 4; 2^43 - 1, the top of the range,
 * and 2^43, clamped, share the top bucket), no count or sum; then random
 * values against rep_histogram_record, count and sum aside. */
static void test_place_at(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    g_autofree uint32_t *lo = g_new0(uint32_t, REP_HIST_BUCKETS);
    const uint64_t top = (uint64_t)1 << 43;
    const uint64_t vs[] = {300, 5, 1000, 300, top, top - 1};
    for (size_t k = 0; k < G_N_ELEMENTS(vs); k++)
        rep_figures__place32(lo, h, vs[k], rep_hist_paged__index(vs[k]));
    rep_figures__fold32(lo, h);
    g_assert_cmpuint(h->counts[5], ==, 1);
    g_assert_cmpuint(h->counts[278], ==, 2);
    g_assert_cmpuint(h->counts[506], ==, 1);
    g_assert_cmpuint(h->counts[REP_HIST_BUCKETS - 1], ==, 2);
    G_STATIC_ASSERT(REP_HIST_BUCKETS - 1 == 4735);
    uint64_t total = 0;
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        total += h->counts[b];
    g_assert_cmpuint(total, ==, 6);
    g_assert_cmpuint(h->clamped, ==, 1);
    g_assert_cmpuint(h->min, ==, 5);
    g_assert_cmpuint(h->max, ==, top);
    g_assert_cmpuint(h->count, ==, 0);
    g_assert_cmpfloat(h->sum, ==, 0);

    g_autoptr(RepHistogram) placed = rep_histogram_new();
    g_autoptr(RepHistogram) recorded = rep_histogram_new();
    GRand *r = g_rand_new_with_seed(14);
    for (int k = 0; k < 100000; k++) {
        uint64_t v = ((uint64_t)g_rand_int(r) << 32 | g_rand_int(r)) >> g_rand_int_range(r, 0, 64);
        rep_figures__place32(lo, placed, v, rep_hist_paged__index(v));
        rep_histogram_record(recorded, v);
    }
    g_rand_free(r);
    rep_figures__fold32(lo, placed);
    placed->count = recorded->count;
    placed->sum = recorded->sum;
    g_assert_cmpint(memcmp(placed, recorded, sizeof *placed), ==, 0);
    g_assert_cmpuint(recorded->clamped, >, 0); /* the top was reached */
}

/* The walk, by hand: values 5, 5, 7, 300 (buckets 5, 7 and that of 300).
 * Ranks 1-2 stop at bucket 5 (2 seen), 3 at 7 (3 seen), 4 at 300's bucket;
 * rank 5 is past every sample; a rank below the last starts again. */
static void test_walk_by_hand(void) {
    g_autoptr(RepHistogram) h = rep_histogram_new();
    const uint64_t vs[] = {7, 5, 300, 5};
    for (size_t i = 0; i < G_N_ELEMENTS(vs); i++)
        rep_histogram_record(h, vs[i]);
    RepHistWalk w = {0};
    g_assert_true(rep_histogram_walk_to(h, &w, 0));
    g_assert_cmpuint(w.seen, ==, 0);
    g_assert_cmpuint(rep_histogram_walk_value(h, &w, TRUE), ==, 5); /* rank 0: min */
    g_assert_true(rep_histogram_walk_to(h, &w, 1));
    g_assert_cmpuint(w.next, ==, 6);
    g_assert_cmpuint(w.seen, ==, 2);
    g_assert_true(rep_histogram_walk_to(h, &w, 2));
    g_assert_cmpuint(w.next, ==, 6);
    g_assert_true(rep_histogram_walk_to(h, &w, 3));
    g_assert_cmpuint(w.next, ==, 8);
    g_assert_cmpuint(w.seen, ==, 3);
    g_assert_cmpuint(rep_histogram_walk_value(h, &w, TRUE), ==, 7);
    /* 300 = (128 + 22) << 1: bucket 128 + 22 + 128, [300, 301], midpoint 300. */
    g_assert_true(rep_histogram_walk_to(h, &w, 4));
    g_assert_cmpuint(w.next, ==, 279);
    g_assert_cmpuint(rep_histogram_walk_value(h, &w, TRUE), ==, 300);
    g_assert_false(rep_histogram_walk_to(h, &w, 5));
    g_assert_cmpuint(w.next, ==, REP_HIST_BUCKETS);
    g_assert_cmpuint(w.seen, ==, 4);
    g_assert_cmpuint(rep_histogram_walk_value(h, &w, FALSE), ==, 300); /* max */
    g_assert_true(rep_histogram_walk_to(h, &w, 2));
    g_assert_cmpuint(w.next, ==, 6);
    g_assert_cmpuint(w.seen, ==, 2);
    const double qs[] = {0.0, 0.25, 0.5, 0.75, 1.0, 0.6};
    const uint64_t want[] = {5, 5, 5, 7, 300, 7};
    uint64_t got[G_N_ELEMENTS(qs)];
    rep_histogram_quantiles(h, qs, G_N_ELEMENTS(qs), got);
    for (size_t i = 0; i < G_N_ELEMENTS(qs); i++)
        g_assert_cmpuint(got[i], ==, want[i]);
}

/* The definition, a scan from bucket 0 per quantile, as the reference. */
static uint64_t quantile_ref(const RepHistogram *h, double q) {
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)ceil(CLAMP(q, 0.0, 1.0) * (double)h->count), seen = 0;
    if (rank == 0)
        return h->min;
    for (size_t i = 0; i < REP_HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t lo = rep_histogram_bucket_low(i);
            uint64_t mid = lo + (rep_histogram_bucket_high(i) - lo) / 2;
            return CLAMP(mid, h->min, h->max);
        }
    }
    return h->max;
}

/* Random histograms (empty ones too) and random quantile lists, sorted or not,
 * out of range included: the one walk gives what the reference gives each. */
static void test_quantiles_against_reference(void) {
    GRand *r = g_rand_new_with_seed(11);
    for (int round = 0; round < 300; round++) {
        g_autoptr(RepHistogram) h = rep_histogram_new();
        int n = g_rand_int_range(r, 0, 60);
        for (int i = 0; i < n; i++)
            rep_histogram_record(h, (uint64_t)exp(g_rand_double_range(r, 0.0, 30.0)));
        double qs[40];
        uint64_t got[40];
        size_t m = (size_t)g_rand_int_range(r, 1, 40);
        for (size_t k = 0; k < m; k++)
            qs[k] = g_rand_double_range(r, -0.1, 1.1);
        if (round % 2 == 0) /* the common case: growing */
            for (size_t k = 1; k < m; k++)
                for (size_t j = k; j > 0 && qs[j - 1] > qs[j]; j--) {
                    double t = qs[j];
                    qs[j] = qs[j - 1];
                    qs[j - 1] = t;
                }
        rep_histogram_quantiles(h, qs, m, got);
        for (size_t k = 0; k < m; k++) {
            g_assert_cmpuint(got[k], ==, quantile_ref(h, qs[k]));
            g_assert_cmpuint(rep_histogram_quantile(h, qs[k]), ==, got[k]);
        }
    }
    g_rand_free(r);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/histogram/small-values-exact", test_small_values_exact);
    g_test_add_func("/report/histogram/relative-error-bound", test_relative_error_bound);
    g_test_add_func("/report/histogram/buckets-contiguous", test_buckets_contiguous);
    g_test_add_func("/report/histogram/quantiles-of-known-samples",
                    test_quantiles_of_known_samples);
    g_test_add_func("/report/histogram/empty-and-clamped", test_empty_and_clamped);
    g_test_add_func("/report/histogram/walk-by-hand", test_walk_by_hand);
    g_test_add_func("/report/histogram/quantiles-against-reference",
                    test_quantiles_against_reference);
    g_test_add_func("/report/histogram/merge", test_merge);
    g_test_add_func("/report/histogram/place-at", test_place_at);
    g_test_add_func("/report/histogram/bucket-against-layout", test_bucket_against_layout);
    return g_test_run();
}
