/* The paged histogram (RepHistPaged): pages allocated only where samples fall,
 * worked by hand, and a randomized check against RepHistogram of recording,
 * merging (absorb) and expansion, with pages from a pool and from the heap. */
#include "sim/report/rep-hist-paged.h"

static guint pages_in_use(const RepHistPaged *h) {
    guint n = 0;
    for (size_t p = 0; p < REP_HIST_PAGES; p++)
        n += h->pages[p] != NULL;
    return n;
}

/* 5 ns is bucket 5 (page 0); 200 ns lies in [2^7, 2^8), 1 ns wide buckets from
 * 128: bucket 200 (page 1); 300 ns lies in [2^8, 2^9), 2 ns wide buckets from 256:
 * bucket 256 + (300 - 256) / 2 = 278 (page 2); 2^20 ns is the first bucket of
 * power 20: (20 - 7 + 1) * 128 = 1792 (page 14). */
static void test_record_by_hand(void) {
    g_autoptr(RepHistPaged) h = rep_hist_paged_new();
    g_assert_cmpuint(REP_HIST_PAGES, ==, 37);
    g_assert_cmpuint(h->count, ==, 0);
    g_assert_cmpuint(h->min, ==, UINT64_MAX);
    g_assert_cmpuint(h->max, ==, 0);
    g_assert_cmpuint(pages_in_use(h), ==, 0);
    g_assert_cmpuint(rep_hist_paged_get(h, 200), ==, 0);
    rep_hist_paged_record(h, 5);
    rep_hist_paged_record(h, 200);
    rep_hist_paged_record(h, 300);
    rep_hist_paged_record(h, 301);
    rep_hist_paged_record(h, 1u << 20);
    g_assert_cmpuint(pages_in_use(h), ==, 4);
    g_assert_nonnull(h->pages[0]);
    g_assert_nonnull(h->pages[1]);
    g_assert_nonnull(h->pages[2]);
    g_assert_nonnull(h->pages[14]);
    g_assert_cmpuint(rep_hist_paged_get(h, 5), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, 200), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, 278), ==, 2);
    g_assert_cmpuint(rep_hist_paged_get(h, 279), ==, 0);
    g_assert_cmpuint(rep_hist_paged_get(h, 1792), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, 1793), ==, 0);
    g_assert_cmpuint(rep_hist_paged_get(h, 3000), ==, 0); /* a NULL page */
    g_assert_cmpuint(h->count, ==, 5);
    g_assert_cmpuint(h->clamped, ==, 0);
    g_assert_cmpuint(h->min, ==, 5);
    g_assert_cmpuint(h->max, ==, 1u << 20);
    g_assert_cmpfloat(h->sum, ==, 5.0 + 200 + 300 + 301 + 1048576);
    /* 2^43 is above the range: the last bucket, 4735, of the last page */
    rep_hist_paged_record(h, (uint64_t)1 << 43);
    g_assert_cmpuint(h->clamped, ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, REP_HIST_BUCKETS - 1), ==, 1);
    g_assert_nonnull(h->pages[36]);
    g_assert_cmpuint(pages_in_use(h), ==, 5);
}

/* _set of zero on an absent page allocates nothing; of a count it allocates
 * the page (bucket 1000 is page 7, slot 104) and leaves the totals alone. */
/* The inline bucket of the record path (rep_hist_paged__index) at the edges of
 * its ranges, worked by hand: exact below 2^8; from 2^8, shift = e - 7 for top
 * bit e and the bucket is shift * 128 + (v >> shift); also against
 * rep_histogram_bucket_of() at every power of two and its neighbours. */
static void test_index_by_hand(void) {
    static const struct {
        uint64_t v;
        size_t bucket;
    } cases[] = {
        {0, 0},
        {1, 1},
        {127, 127},
        {128, 128},
        {255, 255},
        {256, 256},
        {257, 256},
        {258, 257},
        {511, 383},
        {512, 384},
        {1023, 511},
        {1024, 512},
        {((uint64_t)1 << 43) - 1, 35 * 128 + 255},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++)
        g_assert_cmpuint(rep_hist_paged__index(cases[k].v), ==, cases[k].bucket);
    G_STATIC_ASSERT(35 * 128 + 255 == REP_HIST_BUCKETS - 1);
    for (int e = 0; e < 43; e++)
        for (int d = -1; d <= 1; d++) {
            uint64_t v = ((uint64_t)1 << e) + (uint64_t)(int64_t)d;
            g_assert_cmpuint(rep_hist_paged__index(v), ==, rep_histogram_bucket_of(v));
        }
}

static void test_set_by_hand(void) {
    g_autoptr(RepHistPaged) h = rep_hist_paged_new();
    rep_hist_paged_set(h, 1000, 0);
    g_assert_cmpuint(pages_in_use(h), ==, 0);
    rep_hist_paged_set(h, 1000, 7);
    g_assert_cmpuint(pages_in_use(h), ==, 1);
    g_assert_nonnull(h->pages[7]);
    g_assert_cmpuint(h->pages[7][104], ==, 7);
    g_assert_cmpuint(rep_hist_paged_get(h, 1000), ==, 7);
    g_assert_cmpuint(h->count, ==, 0);
    rep_hist_paged_set(h, 1000, 0);
    g_assert_cmpuint(rep_hist_paged_get(h, 1000), ==, 0);
}

/* dst has pages 0 and 1, src pages 1 and 2: page 1 is summed, page 2 moves. */
static void test_absorb_by_hand(void) {
    g_autoptr(RepHistPaged) dst = rep_hist_paged_new();
    RepHistPaged *src = rep_hist_paged_new();
    rep_hist_paged_record(dst, 3);
    rep_hist_paged_record(dst, 130);
    rep_hist_paged_record(src, 130);
    rep_hist_paged_record(src, 131);
    rep_hist_paged_record(src, 400); /* bucket 256 + 72 = 328, page 2 */
    uint32_t *moved = src->pages[2];
    uint32_t *kept = dst->pages[1];
    rep_hist_paged_absorb(dst, src);
    g_assert_true(dst->pages[2] == moved);
    g_assert_true(dst->pages[1] == kept);
    g_assert_cmpuint(pages_in_use(dst), ==, 3);
    g_assert_cmpuint(rep_hist_paged_get(dst, 3), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(dst, 130), ==, 2);
    g_assert_cmpuint(rep_hist_paged_get(dst, 131), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(dst, 328), ==, 1);
    g_assert_cmpuint(dst->count, ==, 5);
    g_assert_cmpuint(dst->min, ==, 3);
    g_assert_cmpuint(dst->max, ==, 400);
    g_assert_cmpfloat(dst->sum, ==, 3.0 + 130 + 130 + 131 + 400);
}

/* A recorded histogram adds only the buckets of its min to max (in_range), one
 * with a count set outside them every page: absorbed into a pooled one, then
 * freed, the pool's pages come back cleared. */
static void test_absorb_ranges_by_hand(void) {
    RepHistPagePool *pool = rep_hist_page_pool_new();
    RepHistPaged *dst = rep_hist_paged_new_pooled(pool);
    RepHistPaged *rec = rep_hist_paged_new_pooled(pool);
    RepHistPaged *set = rep_hist_paged_new();
    rep_hist_paged_record(dst, 130);  /* page 1 */
    rep_hist_paged_record(rec, 131);  /* bucket 131: page 1, min */
    rep_hist_paged_record(rec, 140);  /* bucket 140: max */
    rep_hist_paged_set(set, 129, 4);  /* below its min */
    rep_hist_paged_set(set, 1000, 2); /* page 7 */
    rep_hist_paged_record(set, 135);  /* min = max = 135 */
    g_assert_true(rec->in_range);
    g_assert_false(set->in_range);
    rep_hist_paged_absorb(dst, rec);
    g_assert_true(dst->in_range);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 1); /* rec's page 1, cleared */
    rep_hist_paged_absorb(dst, set);
    g_assert_false(dst->in_range);
    for (size_t b = 0; b < 8 * 128; b++) {
        uint64_t want = b == 129 ? 4 : b == 130 || b == 131 || b == 140 || b == 135 ? 1 : 0;
        g_assert_cmpuint(rep_hist_paged_get(dst, b), ==, b == 1000 ? 2 : want);
    }
    g_assert_cmpuint(dst->count, ==, 4); /* set counts are not samples */
    g_assert_cmpuint(dst->min, ==, 130);
    g_assert_cmpuint(dst->max, ==, 140);
    rep_hist_paged_free(dst); /* pages 1 and 7, not in_range: cleared whole */
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 3);
    RepHistPaged *again = rep_hist_paged_new_pooled(pool);
    for (int k = 0; k < 3; k++) /* pages 0, 1 and 7 from the pool */
        rep_hist_paged_record(again, k == 0 ? 1 : k == 1 ? 200 : 8192); /* bucket 896 */
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 0);
    for (size_t b = 0; b < 8 * 128; b++)
        g_assert_cmpuint(rep_hist_paged_get(again, b), ==, b == 1 || b == 200 || b == 896 ? 1 : 0);
    rep_hist_paged_free(again);
    rep_hist_page_pool_free(pool);
}

/* A sample: mostly log-uniform over the whole range and beyond, some small. */
static uint64_t draw(GRand *r, int scale) {
    if (g_rand_int_range(r, 0, 8) == 0)
        return (uint64_t)g_rand_int_range(r, 0, 300);
    int e = g_rand_int_range(r, 0, scale);
    uint64_t hi = (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
    return e == 0 ? 0 : hi >> (64 - e);
}

static void assert_same(const RepHistPaged *p, const RepHistogram *ref) {
    for (size_t b = 0; b < REP_HIST_BUCKETS; b++)
        if (rep_hist_paged_get(p, b) != ref->counts[b])
            g_error("bucket %zu: %" G_GUINT64_FORMAT " != %" G_GUINT64_FORMAT, b,
                    rep_hist_paged_get(p, b), ref->counts[b]);
    for (size_t pg = 0; pg < REP_HIST_PAGES; pg++) { /* a page only where counts are */
        uint64_t in_page = 0;
        for (size_t k = 0; k < 128; k++)
            in_page += ref->counts[pg * 128 + k];
        g_assert_true((p->pages[pg] != NULL) == (in_page > 0));
    }
    g_assert_cmpuint(p->count, ==, ref->count);
    g_assert_cmpuint(p->clamped, ==, ref->clamped);
    g_assert_cmpuint(p->min, ==, ref->min);
    g_assert_cmpuint(p->max, ==, ref->max);
    g_assert_cmpfloat(p->sum, ==, ref->sum);
}

/* Random groups of histograms recorded into both types, then merged group by
 * group (absorb vs rep_histogram_merge) and expanded into one reused view. */
static void test_random_against_reference(void) {
    GRand *r = g_rand_new_with_seed(14);
    RepHistPagePool *pool = rep_hist_page_pool_new(); /* reused across rounds */
    g_autoptr(RepHistogram) view = rep_histogram_new();
    for (int round = 0; round < 40; round++) {
        enum { N = 6 };
        RepHistPaged *p[N];
        RepHistogram *ref[N];
        int scale = g_rand_int_range(r, 1, 65); /* up to 2^64: the clamped range too */
        for (int k = 0; k < N; k++) {
            p[k] = k % 2 ? rep_hist_paged_new_pooled(pool) : rep_hist_paged_new();
            ref[k] = rep_histogram_new();
            int n = g_rand_int_range(r, 0, 2000);
            for (int s = 0; s < n; s++) {
                uint64_t v = draw(r, scale);
                rep_hist_paged_record(p[k], v);
                rep_histogram_record(ref[k], v);
            }
            assert_same(p[k], ref[k]);
        }
        for (int k = 1; k < N; k++) {
            rep_hist_paged_absorb(p[0], p[k]);
            rep_histogram_merge(ref[0], ref[k]);
            rep_histogram_free(ref[k]);
            assert_same(p[0], ref[0]);
        }
        rep_hist_paged_expand(p[0], view);
        g_assert_cmpmem(view->counts, sizeof view->counts, ref[0]->counts, sizeof ref[0]->counts);
        g_assert_cmpuint(view->count, ==, ref[0]->count);
        g_assert_cmpuint(view->clamped, ==, ref[0]->clamped);
        g_assert_cmpuint(view->min, ==, ref[0]->min);
        g_assert_cmpuint(view->max, ==, ref[0]->max);
        g_assert_cmpfloat(view->sum, ==, ref[0]->sum);
        rep_hist_paged_free(p[0]);
        rep_histogram_free(ref[0]);
    }
    g_assert_cmpuint(rep_hist_page_pool_size(pool), >, 0);
    rep_hist_page_pool_free(pool);
    g_rand_free(r);
}

/* A pool by hand: a pooled histogram's pages (and itself) go back to it when
 * freed, and the next pooled one takes them, cleared, before allocating (5 ns:
 * page 0, 200 ns: page 1, 300 ns: bucket 278, page 2). */
static void test_pool_by_hand(void) {
    RepHistPagePool *pool = rep_hist_page_pool_new();
    RepHistPaged *a = rep_hist_paged_new_pooled(pool);
    rep_hist_paged_record(a, 5);
    rep_hist_paged_record(a, 5);
    rep_hist_paged_record(a, 200);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 0);
    RepHistPaged *was_a = a;
    rep_hist_paged_free(a);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 2);
    RepHistPaged *b = rep_hist_paged_new_pooled(pool);
    g_assert_true(b == was_a); /* its memory reused, as a new one */
    g_assert_cmpuint(b->count, ==, 0);
    g_assert_cmpuint(b->min, ==, UINT64_MAX);
    g_assert_cmpuint(b->max, ==, 0);
    g_assert_true(b->in_range);
    g_assert_cmpuint(pages_in_use(b), ==, 0);
    rep_hist_paged_record(b, 300);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 1);
    rep_hist_paged_record(b, 5);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 0);
    g_assert_cmpuint(pages_in_use(b), ==, 2);
    for (size_t k = 0; k < 3 * 128; k++) /* reused pages hold only b's counts */
        g_assert_cmpuint(rep_hist_paged_get(b, k), ==, k == 5 || k == 278 ? 1 : 0);
    rep_hist_paged_record(b, 1u << 20); /* page 14: the pool is empty, allocated */
    g_assert_cmpuint(pages_in_use(b), ==, 3);
    rep_hist_paged_free(b);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 3);
    rep_hist_page_pool_free(pool);
}

/* Counts of 2^32 and more (a 32-bit page and its high page), by hand, in
 * bucket 1000 (page 7, slot 104), which holds 14848 ns (6 x 128 + 14848 / 64):
 * a record onto 2^32 - 1 wraps the low part to 0 and carries 1 into the high
 * page; set writes and clears both parts; absorb adds low parts that wrap, and
 * a source's high page; expand sees the whole; a pooled one goes back to the
 * pool without its high page. */
static void test_wide_counts(void) {
    const uint64_t two32 = (uint64_t)1 << 32;
    g_assert_cmpuint(rep_hist_paged__index(14848), ==, 1000);
    g_autoptr(RepHistPaged) h = rep_hist_paged_new();
    rep_hist_paged_record(h, 14848);
    rep_hist_paged_set(h, 1000, two32 - 1);
    g_assert_null(h->high);
    rep_hist_paged_record(h, 14848); /* wraps: low 0, high 1 */
    g_assert_cmpuint(h->pages[7][104], ==, 0);
    g_assert_nonnull(h->high);
    g_assert_cmpuint(h->high[7][104], ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, 1000), ==, two32);
    rep_hist_paged_set(h, 1001, 3 * two32 + 7);
    g_assert_cmpuint(rep_hist_paged_get(h, 1001), ==, 3 * two32 + 7);
    rep_hist_paged_set(h, 1001, 9); /* the high part cleared */
    g_assert_cmpuint(rep_hist_paged_get(h, 1001), ==, 9);

    /* low parts that wrap when added: (2^32 - 2) + 5 */
    g_autoptr(RepHistPaged) dst = rep_hist_paged_new();
    RepHistPaged *src = rep_hist_paged_new();
    rep_hist_paged_record(dst, 14848);
    rep_hist_paged_record(src, 14848);
    rep_hist_paged_set(dst, 1000, two32 - 2);
    rep_hist_paged_set(src, 1000, 5);
    rep_hist_paged_absorb(dst, src);
    g_assert_cmpuint(rep_hist_paged_get(dst, 1000), ==, two32 + 3);
    /* a source with a high page: 2 x 2^32 + 1 more */
    src = rep_hist_paged_new();
    rep_hist_paged_record(src, 14848);
    rep_hist_paged_set(src, 1000, 2 * two32 + 1);
    rep_hist_paged_absorb(dst, src);
    g_assert_cmpuint(rep_hist_paged_get(dst, 1000), ==, 3 * two32 + 4);
    g_autoptr(RepHistogram) out = rep_histogram_new();
    rep_hist_paged_expand(dst, out);
    g_assert_cmpuint(out->counts[1000], ==, 3 * two32 + 4);

    /* a pooled one with a high page goes back without it, its pages cleared */
    RepHistPagePool *pool = rep_hist_page_pool_new();
    RepHistPaged *p = rep_hist_paged_new_pooled(pool);
    rep_hist_paged_record(p, 14848);
    rep_hist_paged_set(p, 1000, two32 + 1);
    rep_hist_paged_free(p);
    g_assert_cmpuint(rep_hist_page_pool_size(pool), ==, 1);
    p = rep_hist_paged_new_pooled(pool);
    g_assert_null(p->high);
    rep_hist_paged_record(p, 14848);
    g_assert_cmpuint(rep_hist_paged_get(p, 1000), ==, 1);
    rep_hist_paged_free(p);
    rep_hist_page_pool_free(pool);
}

/* A carry into a bucket whose low page was never made (the timeline's stage
 * carries 2^32 before folding its remainder, which may be 0): bucket 1000
 * (page 7, slot 104) gets its low page (slot 0) with the high one, so every
 * reader that scans the low pages sees the 2^32: get, expand, absorb into a
 * histogram without page 7 (the source has a high page: bucket by bucket) and
 * absorb of a plain page into one holding such a carry. */
static void test_carry_without_page(void) {
    const uint64_t two32 = (uint64_t)1 << 32;
    g_autoptr(RepHistPaged) h = rep_hist_paged_new();
    rep_hist_paged__carry(h, 1000);
    g_assert_nonnull(h->pages[7]);
    g_assert_cmpuint(h->pages[7][104], ==, 0);
    g_assert_cmpuint(h->high[7][104], ==, 1);
    g_assert_cmpuint(pages_in_use(h), ==, 1);
    g_assert_cmpuint(rep_hist_paged_get(h, 1000), ==, two32);
    g_autoptr(RepHistogram) out = rep_histogram_new();
    rep_hist_paged_expand(h, out);
    g_assert_cmpuint(out->counts[1000], ==, two32);

    g_autoptr(RepHistPaged) dst = rep_hist_paged_new();
    rep_hist_paged_record(dst, 5);
    RepHistPaged *src = rep_hist_paged_new();
    rep_hist_paged__carry(src, 1000);
    src->count = 1; /* (its min to max covers bucket 1000) */
    src->min = src->max = 14848;
    rep_hist_paged_absorb(dst, src);
    g_assert_nonnull(dst->pages[7]);
    g_assert_cmpuint(rep_hist_paged_get(dst, 1000), ==, two32);

    src = rep_hist_paged_new();
    rep_hist_paged_record(src, 14848);
    rep_hist_paged_absorb(h, src); /* page 7 of h exists: added slot by slot */
    g_assert_cmpuint(rep_hist_paged_get(h, 1000), ==, two32 + 1);
    rep_hist_paged_expand(h, out);
    g_assert_cmpuint(out->counts[1000], ==, two32 + 1);
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/hist-paged/record-by-hand", test_record_by_hand);
    g_test_add_func("/report/hist-paged/index-by-hand", test_index_by_hand);
    g_test_add_func("/report/hist-paged/set-by-hand", test_set_by_hand);
    g_test_add_func("/report/hist-paged/absorb-by-hand", test_absorb_by_hand);
    g_test_add_func("/report/hist-paged/pool-by-hand", test_pool_by_hand);
    g_test_add_func("/report/hist-paged/absorb-ranges-by-hand", test_absorb_ranges_by_hand);
    g_test_add_func("/report/hist-paged/random-against-reference", test_random_against_reference);
    g_test_add_func("/report/hist-paged/wide-counts", test_wide_counts);
    g_test_add_func("/report/hist-paged/carry-without-page", test_carry_without_page);
    return g_test_run();
}
