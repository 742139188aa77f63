/* A latency histogram with log-linear buckets, in the manner of HdrHistogram.
 *
 * Values are durations in nanoseconds. Values below 2^REP_HIST_SUB_BITS are counted
 * exactly; above that, every power-of-two range [2^e, 2^(e+1)) is split into
 * 2^REP_HIST_SUB_BITS equal buckets, so a bucket is at most 1/128 of its values
 * wide and a percentile reported at the bucket's midpoint is within 0.4% of the
 * true sample (at most 1% is promised). The range covers 1 ns to beyond one hour
 * (2^42 ns, about 73 minutes); larger values go into the top bucket and are
 * counted in `clamped`. min, max and the sum are kept exactly. Memory is constant
 * (about 37 KiB) and two histograms merge by adding counts.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#define REP_HIST_SUB_BITS 7  /* linear buckets per power of two: 128 */
#define REP_HIST_MAX_EXP  42 /* 2^42 ns is about 73 minutes */
#define REP_HIST_BUCKETS  ((REP_HIST_MAX_EXP - REP_HIST_SUB_BITS + 2) << REP_HIST_SUB_BITS)

typedef struct {
    uint64_t counts[REP_HIST_BUCKETS]; /* samples per bucket */
    uint64_t count;                    /* samples recorded */
    uint64_t clamped;                  /* samples above the top of the range */
    uint64_t min;                      /* exact smallest sample; UINT64_MAX when empty */
    uint64_t max;                      /* exact largest sample; 0 when empty */
    double sum;                        /* sum of samples, for the mean */
} RepHistogram;

/* rep_histogram_new: (transfer full) an empty histogram. */
RepHistogram *rep_histogram_new(void);
void rep_histogram_free(RepHistogram *h);
void rep_histogram_reset(RepHistogram *h);

/* rep_histogram__bucket: the bucket of @v (rep_histogram_bucket_of), inline and
 * without a loop or a branch on the common path: with e the top bit of v and
 * shift = max(e - SUB_BITS, 0), the bucket is shift * 2^SUB_BITS + (v >> shift)
 * (the exact range is shift 0); values of 2^(MAX_EXP + 1) and more go to the top
 * bucket (*@clamped set). */
static inline size_t rep_histogram__bucket(uint64_t v, gboolean *clamped) {
    *clamped = (v >> (REP_HIST_MAX_EXP + 1)) != 0;
    if (G_UNLIKELY(*clamped))
        return REP_HIST_BUCKETS - 1;
    int e = 63 - __builtin_clzll(v | 1);
    int shift = e > REP_HIST_SUB_BITS ? e - REP_HIST_SUB_BITS : 0;
    return ((size_t)shift << REP_HIST_SUB_BITS) + (size_t)(v >> shift);
}

/* rep_histogram_record: counts one sample @v (ns). O(1). */
static inline void rep_histogram_record(RepHistogram *h, uint64_t v) {
    gboolean clamped;
    h->counts[rep_histogram__bucket(v, &clamped)]++;
    h->count++;
    h->clamped += (uint64_t)clamped;
    h->min = v < h->min ? v : h->min;
    h->max = v > h->max ? v : h->max;
    h->sum += (double)v;
}

/* rep_histogram_merge: adds every sample of @src into @dst. */
void rep_histogram_merge(RepHistogram *dst, const RepHistogram *src);

/* rep_histogram_quantile: the value at quantile @q in [0, 1]: the smallest bucket
 * holding at least ceil(q * count) samples, reported at its midpoint and clamped to
 * [min, max], so q = 0 gives min and q = 1 gives max exactly.
 * Returns 0 for an empty histogram. O(buckets). */
uint64_t rep_histogram_quantile(const RepHistogram *h, double q);

/* rep_histogram_quantiles: out[k] = rep_histogram_quantile(h, qs[k]) for the @n
 * quantiles @qs, in one walk of the buckets while they do not decrease (a
 * smaller one starts the walk again). */
void rep_histogram_quantiles(const RepHistogram *h, const double *qs, size_t n, uint64_t *out);

/* RepHistWalk: a walk up the buckets (start it {0}): the buckets below next
 * hold seen samples, and rank is the one it was last asked for. */
typedef struct {
    size_t next;
    uint64_t seen;
    uint64_t rank;
} RepHistWalk;
/* rep_histogram_walk_to: walks @w on to the smallest bucket (next - 1) through
 * which at least @rank samples lie (then seen counts them all); from the start
 * if @rank is below the last one asked. Returns FALSE, at the end, if no bucket
 * does (then seen is the sum of all counts). Rank 0 is reached at once. */
gboolean rep_histogram_walk_to(const RepHistogram *h, RepHistWalk *w, uint64_t rank);
/* rep_histogram_walk_value: the quantile reported where walk_to left @w and
 * what it returned (@reached): the bucket's midpoint clamped to [min, max];
 * min for rank 0, max when no bucket reached the rank. */
uint64_t rep_histogram_walk_value(const RepHistogram *h, const RepHistWalk *w, gboolean reached);

/* rep_histogram_mean: the exact mean, 0 when empty. */
double rep_histogram_mean(const RepHistogram *h);

/* Bucket geometry, for spectrum and histogram output: the bucket of @v, and the
 * lowest and highest value a bucket holds. */
size_t rep_histogram_bucket_of(uint64_t v);
uint64_t rep_histogram_bucket_low(size_t bucket);
uint64_t rep_histogram_bucket_high(size_t bucket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RepHistogram, rep_histogram_free)
