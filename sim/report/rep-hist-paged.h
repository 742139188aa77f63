/* The paged form of RepHistogram (rep-histogram.h), which the run-time
 * timeline keeps per interval, and the pool its pages come from. */
#pragma once

#include "sim/report/rep-histogram.h"

/* RepHistPaged: the same histogram (same buckets, count, clamped, min, max and
 * sum, updated in the same order) with memory proportional to the buckets in use:
 * the buckets are cut into REP_HIST_PAGES pages of 2^REP_HIST_SUB_BITS counts
 * (one page per power of two above the exact range), and a page is allocated
 * (512 bytes) when a sample first falls into it; a NULL page counts zero
 * everywhere. An empty one is about 350 bytes. The run-time timeline keeps one
 * per interval.
 *
 * A page holds the low 32 bits of its counts (half the memory, and half the
 * cache lines to fill, merge and write out, of 64-bit ones); a count that
 * reaches 2^32 carries into the same slot of a high page (high: NULL until
 * the first carry, as are its pages), so a bucket counts page + high x 2^32.
 * A high page exists only where its low page does (rep_hist_paged__carry
 * makes the low one first), so readers that scan the low pages see all. */
#define REP_HIST_PAGES (REP_HIST_BUCKETS >> REP_HIST_SUB_BITS)

typedef struct RepHistPagePool RepHistPagePool;

typedef struct {
    uint32_t *pages[REP_HIST_PAGES];   /* page p counts buckets [p * 128, p * 128 + 128) */
    uint32_t **high;                   /* the high pages, REP_HIST_PAGES of them; NULL: none */
    uint64_t count, clamped, min, max; /* as in RepHistogram */
    double sum;
    RepHistPagePool *pool; /* where its pages come from and go back to; NULL: the heap */
    gboolean in_range;     /* every count lies in the buckets of min to max (made by
                              records and absorbs only: rep_hist_paged_set clears it) */
} RepHistPaged;

/* rep_hist_paged_new: (transfer full) an empty paged histogram. */
RepHistPaged *rep_hist_paged_new(void);
/* RepHistPagePool: pages of freed paged histograms kept for others made from it
 * (cleared as they come back: only the buckets of min to max of an in_range
 * one) instead of freeing and allocating: a run's timeline frees and makes
 * thousands as it coarsens, most of them with a few samples. Free it after
 * them all. */
RepHistPagePool *rep_hist_page_pool_new(void);
void rep_hist_page_pool_free(RepHistPagePool *pool);
/* rep_hist_page_pool_size: the pages it holds (for tests). */
guint rep_hist_page_pool_size(const RepHistPagePool *pool);
/* rep_hist_paged_new_pooled: as rep_hist_paged_new(), taking pages from @pool. */
RepHistPaged *rep_hist_paged_new_pooled(RepHistPagePool *pool);
void rep_hist_paged_free(RepHistPaged *h);
/* rep_hist_paged__page: (internal) the page of @bucket, allocated if it was NULL. */
uint32_t *rep_hist_paged__page(RepHistPaged *h, size_t bucket);
/* rep_hist_paged__carry: (internal) @bucket's low count wrapped to 0: adds
 * 2^32 to it (in its high page, made if need be, with its low page). */
void rep_hist_paged__carry(RepHistPaged *h, size_t bucket);

/* rep_hist_paged__place_clamped: (internal) rep_hist_paged__place() of a @v
 * beyond the range (the top bucket, counted in clamped). */
void rep_hist_paged__place_clamped(RepHistPaged *h, uint64_t v);

/* rep_hist_paged__index: (internal) the bucket of @v when @v is below
 * 2^(MAX_EXP + 1) (meaningless above, where the value is clamped): as in
 * rep_histogram__bucket(), shift * 2^SUB_BITS + (v >> shift) with shift =
 * max(e - SUB_BITS, 0), e the top bit of v; v | 2^SUB_BITS has top bit
 * max(e, SUB_BITS). Pure: two histograms fed the same value in one function
 * compute it once. */
static inline size_t rep_hist_paged__index(uint64_t v) {
    int shift = 63 - REP_HIST_SUB_BITS - __builtin_clzll(v | ((uint64_t)1 << REP_HIST_SUB_BITS));
    return ((size_t)shift << REP_HIST_SUB_BITS) + (size_t)(v >> shift);
}

/* rep_hist_paged__place_at: (internal) counts @v in @h's bucket, clamped, min
 * and max: all of a record but count and sum (which the figures' cells keep
 * their own way, rep-figures-cells.h). @b is rep_hist_paged__index(v). Below
 * the top of the range (the common case) clamped does not change. */
static inline void rep_hist_paged__place_at(RepHistPaged *h, uint64_t v, size_t b) {
    if (G_UNLIKELY(v >> (REP_HIST_MAX_EXP + 1))) {
        rep_hist_paged__place_clamped(h, v);
        return;
    }
    uint32_t *page = h->pages[b >> REP_HIST_SUB_BITS];
    if (G_UNLIKELY(page == NULL))
        page = rep_hist_paged__page(h, b);
    if (G_UNLIKELY(++page[b & (((size_t)1 << REP_HIST_SUB_BITS) - 1)] == 0))
        rep_hist_paged__carry(h, b);
    if (G_UNLIKELY(v < h->min)) /* (rarely a new extreme: a branch, not a store each time) */
        h->min = v;
    if (G_UNLIKELY(v > h->max))
        h->max = v;
}

/* rep_hist_paged__place: (internal) rep_hist_paged__place_at() of @v. */
static inline void rep_hist_paged__place(RepHistPaged *h, uint64_t v) {
    rep_hist_paged__place_at(h, v, rep_hist_paged__index(v));
}

/* rep_hist_paged__record_clamped: (internal) rep_hist_paged_record() of a @v
 * beyond the range. */
void rep_hist_paged__record_clamped(RepHistPaged *h, uint64_t v);

/* rep_hist_paged_record: as rep_histogram_record(). */
static inline void rep_hist_paged_record(RepHistPaged *h, uint64_t v) {
    if (G_UNLIKELY(v >> (REP_HIST_MAX_EXP + 1))) {
        rep_hist_paged__record_clamped(h, v);
        return;
    }
    rep_hist_paged__place(h, v);
    h->count++;
    h->sum += (double)(int64_t)v; /* v < 2^43: the double of (double)v, converted signed */
}
/* rep_hist_paged_get, _set: the count of @bucket (< REP_HIST_BUCKETS). _set to a
 * non-zero value allocates the page; it leaves count, min and max alone (and
 * clears in_range). */
uint64_t rep_hist_paged_get(const RepHistPaged *h, size_t bucket);
void rep_hist_paged_set(RepHistPaged *h, size_t bucket, uint64_t c);
/* rep_hist_paged_absorb: adds every sample of @src into @dst (as
 * rep_histogram_merge()) and frees @src; when @src has no high pages, its
 * pages move where @dst has none (else every bucket is added one by one);
 * only the buckets of its min to max are added while it is in_range. */
void rep_hist_paged_absorb(RepHistPaged *dst, RepHistPaged *src);
/* rep_hist_paged_expand: makes @out (any state) equal to @h. */
void rep_hist_paged_expand(const RepHistPaged *h, RepHistogram *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepHistPaged, rep_hist_paged_free)
