/* Log-linear latency histogram (see rep-histogram.h).
 *
 * Bucket layout, with S = 2^REP_HIST_SUB_BITS:
 *  1. buckets [0, S) hold the values 0 .. S-1 exactly;
 *  2. for e >= REP_HIST_SUB_BITS, the values [2^e, 2^(e+1)) fill the S buckets
 *     starting at (e - REP_HIST_SUB_BITS + 1) * S, each 2^(e - SUB_BITS) wide;
 *  3. values at or above 2^(REP_HIST_MAX_EXP + 1) go into the last bucket.
 * Invariant: count is the sum of counts[], min <= max when count > 0.
 */
#include "sim/report/rep-histogram.h"
#include "sim/report/rep-hist-paged.h"

#include <math.h>
#include <string.h>

#define SUB ((uint64_t)1 << REP_HIST_SUB_BITS)

RepHistogram *rep_histogram_new(void) {
    RepHistogram *h = g_new(RepHistogram, 1);
    rep_histogram_reset(h);
    return h;
}

void rep_histogram_free(RepHistogram *h) { g_free(h); }

void rep_histogram_reset(RepHistogram *h) {
    memset(h, 0, sizeof(*h));
    h->min = UINT64_MAX;
}

size_t rep_histogram_bucket_of(uint64_t v) {
    gboolean clamped;
    return rep_histogram__bucket(v, &clamped);
}

uint64_t rep_histogram_bucket_low(size_t bucket) {
    if (bucket < SUB)
        return bucket;
    uint64_t range = bucket / SUB; /* 1 for e = SUB_BITS */
    uint64_t sub = bucket % SUB;
    int shift = (int)range - 1;
    return (SUB + sub) << shift;
}

uint64_t rep_histogram_bucket_high(size_t bucket) {
    if (bucket < SUB)
        return bucket;
    int shift = (int)(bucket / SUB) - 1;
    return rep_histogram_bucket_low(bucket) + ((uint64_t)1 << shift) - 1;
}

void rep_histogram_merge(RepHistogram *dst, const RepHistogram *src) {
    for (size_t i = 0; i < REP_HIST_BUCKETS; i++)
        dst->counts[i] += src->counts[i];
    dst->count += src->count;
    dst->clamped += src->clamped;
    dst->min = MIN(dst->min, src->min);
    dst->max = MAX(dst->max, src->max);
    dst->sum += src->sum;
}

/* The rank of quantile @q (clamped to [0, 1]) among @h's count samples. */
static uint64_t quantile_rank(const RepHistogram *h, double q) {
    q = CLAMP(q, 0.0, 1.0);
    return (uint64_t)ceil(q * (double)h->count);
}

gboolean rep_histogram_walk_to(const RepHistogram *h, RepHistWalk *w, uint64_t rank) {
    if (rank < w->rank) /* behind the walk: start again */
        *w = (RepHistWalk){0};
    w->rank = rank;
    while (w->seen < rank) {
        if (w->next == REP_HIST_BUCKETS)
            return FALSE;
        w->seen += h->counts[w->next++];
    }
    return TRUE;
}

uint64_t rep_histogram_walk_value(const RepHistogram *h, const RepHistWalk *w, gboolean reached) {
    if (w->rank == 0)
        return h->min;
    if (!reached)
        return h->max;
    size_t i = w->next - 1;
    uint64_t lo = rep_histogram_bucket_low(i);
    uint64_t mid = lo + (rep_histogram_bucket_high(i) - lo) / 2;
    return CLAMP(mid, h->min, h->max);
}

uint64_t rep_histogram_quantile(const RepHistogram *h, double q) {
    if (h->count == 0)
        return 0;
    RepHistWalk w = {0};
    gboolean reached = rep_histogram_walk_to(h, &w, quantile_rank(h, q));
    return rep_histogram_walk_value(h, &w, reached);
}

void rep_histogram_quantiles(const RepHistogram *h, const double *qs, size_t n, uint64_t *out) {
    RepHistWalk w = {0};
    for (size_t k = 0; k < n; k++) {
        if (h->count == 0) {
            out[k] = 0;
            continue;
        }
        gboolean reached = rep_histogram_walk_to(h, &w, quantile_rank(h, qs[k]));
        out[k] = rep_histogram_walk_value(h, &w, reached);
    }
}

double rep_histogram_mean(const RepHistogram *h) {
    return h->count ? h->sum / (double)h->count : 0.0;
}

/* Paged histogram (see rep-histogram.h): bucket b is page b / SUB, slot b % SUB.
 * Invariant as above, with a NULL page counting zero in all its buckets. */
RepHistPaged *rep_hist_paged_new(void) {
    RepHistPaged *h = g_new0(RepHistPaged, 1);
    h->min = UINT64_MAX;
    h->in_range = TRUE;
    return h;
}

/* The buckets [*lo, *hi] that can hold counts of @h: those of min to max while
 * in_range (none when it is empty), else all. FALSE when none. */
static gboolean used_buckets(const RepHistPaged *h, size_t *lo, size_t *hi) {
    if (!h->in_range) {
        *lo = 0;
        *hi = REP_HIST_BUCKETS - 1;
        return TRUE;
    }
    if (h->count == 0)
        return FALSE;
    *lo = rep_histogram_bucket_of(h->min);
    *hi = rep_histogram_bucket_of(h->max);
    return TRUE;
}

/* Of page @p, the slots [*k0, *k1) within the buckets [lo, hi]. */
static void page_slots(size_t p, size_t lo, size_t hi, size_t *k0, size_t *k1) {
    *k0 = p == lo / SUB ? lo % SUB : 0;
    *k1 = p == hi / SUB ? hi % SUB + 1 : SUB;
}

/* Its pages are a stack linked through their first two counts (the address of
 * the next page; NULL at the bottom), every other count 0; the histograms freed
 * to it, a stack linked through their first page pointer, for reuse. */
struct RepHistPagePool {
    uint32_t *top;      /* NULL: empty */
    guint size;         /* pages held */
    RepHistPaged *free; /* NULL: none */
};

static void pool_push(RepHistPagePool *pool, uint32_t *page) {
    memcpy(page, &pool->top, sizeof pool->top);
    pool->top = page;
    pool->size++;
}

/* A cleared page off @pool (not empty). */
static uint32_t *pool_pop(RepHistPagePool *pool) {
    uint32_t *page = pool->top;
    memcpy(&pool->top, page, sizeof pool->top);
    pool->size--;
    page[0] = page[1] = 0;
    return page;
}

RepHistPagePool *rep_hist_page_pool_new(void) { return g_new0(RepHistPagePool, 1); }

void rep_hist_page_pool_free(RepHistPagePool *pool) {
    if (pool == NULL)
        return;
    while (pool->top)
        g_free(pool_pop(pool));
    while (pool->free) {
        RepHistPaged *h = pool->free;
        pool->free = (RepHistPaged *)(void *)h->pages[0];
        g_free(h);
    }
    g_free(pool);
}

guint rep_hist_page_pool_size(const RepHistPagePool *pool) { return pool->size; }

RepHistPaged *rep_hist_paged_new_pooled(RepHistPagePool *pool) {
    RepHistPaged *h = pool->free;
    if (h) { /* (as rep_hist_paged_new makes it) */
        pool->free = (RepHistPaged *)(void *)h->pages[0];
        *h = (RepHistPaged){.min = UINT64_MAX, .in_range = TRUE};
    } else {
        h = rep_hist_paged_new();
    }
    h->pool = pool;
    return h;
}

/* Frees @h's high pages (none left). */
static void free_high(RepHistPaged *h) {
    if (h->high == NULL)
        return;
    for (size_t p = 0; p < REP_HIST_PAGES; p++)
        g_free(h->high[p]);
    g_clear_pointer(&h->high, g_free);
}

/* The high page of @bucket, made if need be. A high page exists only beside
 * its low page (every reader scans the low pages and adds the high ones). */
static uint32_t *high_page(RepHistPaged *h, size_t bucket) {
    g_assert(h->pages[bucket >> REP_HIST_SUB_BITS] != NULL);
    if (h->high == NULL)
        h->high = g_new0(uint32_t *, REP_HIST_PAGES);
    uint32_t **page = &h->high[bucket >> REP_HIST_SUB_BITS];
    if (*page == NULL)
        *page = g_new0(uint32_t, SUB);
    return *page;
}

void rep_hist_paged__carry(RepHistPaged *h, size_t bucket) {
    rep_hist_paged__page(h, bucket); /* (a staged count may carry before its low page exists) */
    high_page(h, bucket)[bucket & (SUB - 1)]++;
}

/* Adds @c to @bucket's count (low and high parts, with the low part's carry). */
static void add_count(RepHistPaged *h, size_t bucket, uint64_t c) {
    uint32_t *page = rep_hist_paged__page(h, bucket), lo = (uint32_t)c;
    uint64_t hi = c >> 32;
    uint32_t x = page[bucket & (SUB - 1)] + lo;
    hi += x < lo; /* the low part wrapped */
    page[bucket & (SUB - 1)] = x;
    if (hi)
        high_page(h, bucket)[bucket & (SUB - 1)] += (uint32_t)hi;
}

void rep_hist_paged_free(RepHistPaged *h) {
    if (h == NULL)
        return;
    free_high(h);
    size_t lo = 0, hi = 0;
    gboolean any = used_buckets(h, &lo, &hi);
    for (size_t p = 0; p < REP_HIST_PAGES; p++) {
        uint32_t *page = h->pages[p];
        if (page == NULL) /* (most are never made: no call for them) */
            continue;
        if (h->pool == NULL) {
            g_free(page);
            continue;
        }
        size_t k0 = 0, k1 = 0; /* a page outside [lo, hi] holds no count: clear already */
        if (any && p >= lo / SUB && p <= hi / SUB)
            page_slots(p, lo, hi, &k0, &k1);
        memset(page + k0, 0, (k1 - k0) * sizeof *page); /* given back cleared */
        pool_push(h->pool, page);
    }
    if (h->pool) {
        h->pages[0] = (uint32_t *)(void *)h->pool->free;
        h->pool->free = h;
        return;
    }
    g_free(h);
}

void rep_hist_paged__place_clamped(RepHistPaged *h, uint64_t v) {
    if (++rep_hist_paged__page(h, REP_HIST_BUCKETS - 1)[(REP_HIST_BUCKETS - 1) & (SUB - 1)] == 0)
        rep_hist_paged__carry(h, REP_HIST_BUCKETS - 1);
    h->clamped++;
    h->min = MIN(v, h->min);
    h->max = MAX(v, h->max);
}

void rep_hist_paged__record_clamped(RepHistPaged *h, uint64_t v) {
    rep_hist_paged__place_clamped(h, v);
    h->count++;
    h->sum += (double)v;
}

uint32_t *rep_hist_paged__page(RepHistPaged *h, size_t bucket) {
    uint32_t **page = &h->pages[bucket >> REP_HIST_SUB_BITS];
    if (*page == NULL && h->pool && h->pool->top) {
        *page = pool_pop(h->pool);
    } else if (*page == NULL) {
        *page = g_new0(uint32_t, SUB);
    }
    return *page;
}

uint64_t rep_hist_paged_get(const RepHistPaged *h, size_t bucket) {
    const uint32_t *page = h->pages[bucket >> REP_HIST_SUB_BITS];
    const uint32_t *high = h->high ? h->high[bucket >> REP_HIST_SUB_BITS] : NULL;
    uint64_t c = page ? page[bucket & (SUB - 1)] : 0;
    return high ? c + ((uint64_t)high[bucket & (SUB - 1)] << 32) : c;
}

void rep_hist_paged_set(RepHistPaged *h, size_t bucket, uint64_t c) {
    h->in_range = FALSE;
    if (c == 0 && h->pages[bucket >> REP_HIST_SUB_BITS] == NULL)
        return;
    rep_hist_paged__page(h, bucket)[bucket & (SUB - 1)] = (uint32_t)c;
    if (c >> 32 || (h->high && h->high[bucket >> REP_HIST_SUB_BITS]))
        high_page(h, bucket)[bucket & (SUB - 1)] = (uint32_t)(c >> 32);
}

/* rep_hist_paged_absorb's buckets when @src has high pages: one by one. */
static void absorb_wide(RepHistPaged *dst, const RepHistPaged *src, size_t lo, size_t hi) {
    for (size_t b = lo; b <= hi; b++) {
        uint64_t c = rep_hist_paged_get(src, b);
        if (c)
            add_count(dst, b, c);
    }
}

/* Adds the slots [k0, k1) of page @p of @from into @dst's (both made). */
static void absorb_page(RepHistPaged *dst, size_t p, const uint32_t *from, size_t k0, size_t k1) {
    uint32_t *d = dst->pages[p];
    for (size_t k = k0; k < k1; k++) {
        uint32_t x = d[k] + from[k];
        if (G_UNLIKELY(x < from[k])) /* wrapped */
            rep_hist_paged__carry(dst, p * SUB + k);
        d[k] = x;
    }
}

void rep_hist_paged_absorb(RepHistPaged *dst, RepHistPaged *src) {
    size_t lo = 0, hi = 0;
    gboolean any = used_buckets(src, &lo, &hi); /* (no page outside them) */
    if (any && src->high)
        absorb_wide(dst, src, lo, hi);
    for (size_t p = lo / SUB; any && !src->high && p <= hi / SUB; p++) {
        if (src->pages[p] == NULL)
            continue;
        if (dst->pages[p] == NULL) {
            dst->pages[p] = g_steal_pointer(&src->pages[p]);
            continue;
        }
        size_t k0, k1;
        page_slots(p, lo, hi, &k0, &k1);
        absorb_page(dst, p, src->pages[p], k0, k1);
    }
    dst->in_range = dst->in_range && src->in_range;
    dst->count += src->count;
    dst->clamped += src->clamped;
    dst->min = MIN(dst->min, src->min);
    dst->max = MAX(dst->max, src->max);
    dst->sum += src->sum;
    rep_hist_paged_free(src);
}

void rep_hist_paged_expand(const RepHistPaged *h, RepHistogram *out) {
    for (size_t p = 0; p < REP_HIST_PAGES; p++) {
        if (h->pages[p])
            for (size_t k = 0; k < SUB; k++)
                out->counts[p * SUB + k] = rep_hist_paged_get(h, p * SUB + k);
        else
            memset(&out->counts[p * SUB], 0, SUB * sizeof out->counts[0]);
    }
    out->count = h->count;
    out->clamped = h->clamped;
    out->min = h->min;
    out->max = h->max;
    out->sum = h->sum;
}
